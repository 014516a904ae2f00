#pragma once

// Builds the native index of a committed Xapian database: every term with its postings, wdfs and
// positions, every document's length, stored records, day and source, the collection statistics
// and the spelling dictionary of its surface words, all read through Xapian's API so that the
// numbers are the ones Xapian's own matcher uses. Docids are Xapian's, so that equal scores rank in
// the same order.

#include <filesystem>

#include "native/index_file.h"

namespace trouvere::native {

/// Builds the native index of the database in `folder`, as of its last commit, and publishes it
/// as `folder`/kFileName (index_file.h says how). The terms are read on `threads` threads, each
/// with a database of its own (0: one per core, at most 8). Returns the state it was built from.
/// Throws DatabaseError when the database cannot be read or the file written; a file already
/// there is then left as it was.
SourceState build_native_index(const std::filesystem::path& folder, unsigned threads = 0);

/// Builds the native index of the database in `folder` unless the one there is of the
/// database's current state and opens cleanly: builds it when it is missing, stale, of another
/// format version or damaged. Returns whether it built one. Also removes the temporary files of
/// builds that were killed. Only for the holder of the database's writer lock.
bool update_native_index(const std::filesystem::path& folder, unsigned threads = 0);

}  // namespace trouvere::native
