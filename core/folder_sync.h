#pragma once

#include <filesystem>

namespace trouvere {

/// Syncs `folder` itself to disk, which makes the renames done in it durable. Throws
/// DatabaseError naming the folder when it fails: what was renamed may then not survive a crash,
/// which is a failure like a failed commit.
void sync_folder(const std::filesystem::path& folder);

}  // namespace trouvere
