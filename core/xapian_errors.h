#pragma once

#include <xapian.h>

#include <string>

#include "trouvere/error.h"

namespace trouvere::xapian_errors {

/// Xapian reports every failure through its own exceptions; the public API promises
/// DatabaseError naming the database, with Xapian's description kept.
[[noreturn]] inline void rethrow_as_database_error(const std::string& path,
                                                   const Xapian::Error& error) {
    throw DatabaseError("database " + path + ": " + error.get_description());
}

}  // namespace trouvere::xapian_errors
