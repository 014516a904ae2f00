#pragma once

#include "trouvere/error.h"

namespace trouvere::native {

/// A part of a native index that does not hold: a checksum that does not match, or a length,
/// offset or value that its section contradicts, found while a query reads it. Opening refuses
/// what it can check cheaply; the rest is checked as it is read, and reported by this exception
/// rather than read past. A DatabaseError, for callers that do not handle it apart.
class Damaged : public DatabaseError {
public:
    using DatabaseError::DatabaseError;
};

}  // namespace trouvere::native
