#include "core/folder_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "trouvere/error.h"

namespace trouvere {

void sync_folder(const std::filesystem::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const int result = fd < 0 ? -1 : ::fsync(fd);
    const int error = errno;
    if (fd >= 0) ::close(fd);
    if (result != 0) {
        throw DatabaseError("cannot sync folder " + folder.string() +
                            " to disk: " + std::generic_category().message(error));
    }
}

}  // namespace trouvere
