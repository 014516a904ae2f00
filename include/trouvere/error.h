#pragma once

#include <stdexcept>
#include <string>

#include "trouvere/export.h"

namespace trouvere {

/// Root of every exception the library throws. Xapian and ICU exceptions never cross the public
/// API: they are translated into one of the subclasses below, keeping the original message.
class TROUVERE_EXPORT Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The database could not be opened, created, locked, read or written. The message names the path.
class TROUVERE_EXPORT DatabaseError : public Error {
public:
    using Error::Error;
};

/// A query that cannot be run: nothing searchable in it, or a construct that cannot be repaired.
/// Ordinary syntax slips (an unbalanced quote, a stray operator) are repaired with a warning
/// instead.
class TROUVERE_EXPORT QueryError : public Error {
public:
    using Error::Error;
};

/// A document that cannot be indexed as given (for example an empty id). Readers report bad files
/// as warnings and skip them; this is for callers who hand documents to IndexWriter directly.
class TROUVERE_EXPORT DocumentError : public Error {
public:
    using Error::Error;
};

}  // namespace trouvere
