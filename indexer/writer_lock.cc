#include "indexer/writer_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "trouvere/error.h"

namespace fs = std::filesystem;

namespace trouvere::indexer {

namespace {

using Clock = std::chrono::steady_clock;

// Short enough that a waiting writer starts soon after the holder ends, long enough to cost
// nothing while it waits.
constexpr std::chrono::milliseconds kPollInterval{20};

// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): guards held_here()
std::mutex held_mutex;
// Databases locked by this process, by lock file path.
std::set<std::string>& held_here() {
    static std::set<std::string> held;
    return held;
}

std::string describe_wait(std::chrono::milliseconds wait) {
    auto tenths = (wait.count() + 50) / 100;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

}  // namespace

WriterLock::WriterLock(const fs::path& database, std::chrono::milliseconds wait) {
    fs::path lock_file = database.parent_path() / (database.filename().string() + ".lock");
    key_ = lock_file.string();
    auto deadline = Clock::now() + wait;
    for (;;) {
        pid_t holder = 0;
        {
            std::lock_guard guard(held_mutex);
            if (held_here().contains(key_)) {
                holder = ::getpid();
            } else {
                int fd = ::open(key_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0) {
                    throw DatabaseError("database " + database.string() + ": cannot open " + key_ +
                                        ": " + std::generic_category().message(errno));
                }
                struct flock request {};
                request.l_type = F_WRLCK;
                request.l_whence = SEEK_SET;
                if (::fcntl(fd, F_SETLK, &request) == 0) {
                    fd_ = fd;
                    held_here().insert(key_);
                    return;
                }
                int error = errno;
                struct flock query {};
                query.l_type = F_WRLCK;
                query.l_whence = SEEK_SET;
                bool known = (error == EACCES || error == EAGAIN) &&
                             ::fcntl(fd, F_GETLK, &query) == 0 && query.l_type != F_UNLCK;
                // Closing drops no lock of ours: this process holds none on this file.
                ::close(fd);
                if (error != EACCES && error != EAGAIN) {
                    throw DatabaseError("database " + database.string() + ": cannot lock " + key_ +
                                        ": " + std::generic_category().message(error));
                }
                // 0 when the holder let go between the two calls: try again at once.
                holder = known ? query.l_pid : 0;
            }
        }
        if (holder == 0) continue;
        if (Clock::now() >= deadline) {
            throw DatabaseError("database is locked by process " + std::to_string(holder) + ": " +
                                database.string() + " is being written by another search-index" +
                                " (waited " + describe_wait(wait) + ")");
        }
        std::this_thread::sleep_for(
            std::min<Clock::duration>(kPollInterval, deadline - Clock::now()));
    }
}

WriterLock::~WriterLock() {
    std::lock_guard guard(held_mutex);
    ::close(fd_);
    held_here().erase(key_);
}

}  // namespace trouvere::indexer
