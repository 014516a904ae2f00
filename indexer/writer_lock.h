#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace trouvere::indexer {

/// The right to write one database, held from construction to destruction.
///
/// Xapian's own lock lives in a file inside the database folder, and a first build replaces that
/// folder: a writer would lose its Xapian lock at the swap, and a second writer waiting for it
/// could open the folder that is about to be swapped out. This lock lives next to the database
/// (`<database>.lock`), so it covers the whole run, swap included. It is a POSIX record lock,
/// whose holder the kernel reports (F_GETLK), so a refused writer can name the process it waited
/// for; Xapian 1.4 uses open-file-description locks, whose holder the kernel does not report.
///
/// POSIX record locks do not exclude threads of one process, so writers of this process are
/// also kept in a process-wide set. The lock dies with its process: a killed writer never
/// leaves a database locked.
class WriterLock {
public:
    /// Takes the lock for `database` (an absolute path), waiting up to `wait` while another
    /// writer holds it. Throws DatabaseError "database is locked by process N" after the wait,
    /// or if the lock file cannot be made.
    WriterLock(const std::filesystem::path& database, std::chrono::milliseconds wait);
    ~WriterLock();
    WriterLock(const WriterLock&) = delete;
    WriterLock& operator=(const WriterLock&) = delete;

private:
    std::string key_;
    int fd_ = -1;
};

}  // namespace trouvere::indexer
