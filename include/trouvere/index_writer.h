#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/document.h"
#include "trouvere/export.h"

namespace trouvere {

/// Writes documents into a trouvere database (a Xapian database laid out as docs/DESIGN.md
/// says). Changes become visible and durable only at commit(), all at once: a reader, or a
/// crash, sees either the state before the commit or the state after it, never a half.
///
/// One writer per database at a time, in this process or any other: a writer holds a lock
/// from opening to destruction, in a file `<path>.lock` next to the database. The lock dies with
/// its process, so a killed writer never leaves the database locked. Readers take no lock.
/// Not thread-safe.
class TROUVERE_EXPORT IndexWriter {
public:
    /// How long a writer waits by default for another one to finish.
    static constexpr std::chrono::seconds kDefaultLockWait{5};

    /// Opens the database at `path`, creating it (and missing parent folders) if needed.
    /// While another writer holds the database, waits up to `lock_wait` for it, then throws
    /// DatabaseError "database is locked by process N: <path> ...". Throws DatabaseError naming
    /// the path if the database cannot be opened.
    ///
    /// A database that is empty when opened is built on up to `threads` cores (0: all of them):
    /// documents go to scratch shards next to it, which commit() merges and compacts into the
    /// new database before swapping it into place in one atomic rename. Later changes, and
    /// changes to a database that already had documents, are written directly.
    explicit IndexWriter(const std::string& path, unsigned threads = 0,
                         std::chrono::milliseconds lock_wait = kDefaultLockWait);
    /// Discards uncommitted changes.
    ~IndexWriter();
    IndexWriter(IndexWriter&& other) noexcept;
    IndexWriter& operator=(IndexWriter&& other) noexcept;
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /// Analyses and adds `document`, replacing any document with the same id.
    /// Throws DocumentError if the id is empty or the date is neither empty nor an existing day
    /// written `YYYY-MM-DD`, DatabaseError if the database fails.
    void add_or_replace(const Document& document);

    /// Deletes the document with this id; returns false if there was none.
    bool remove(std::string_view id);

    /// True if a document with this id exists (committed, or added since the last commit).
    [[nodiscard]] bool contains(std::string_view id) const;

    /// Caller-owned key/value metadata, committed atomically with the documents. Keys may be any
    /// non-empty string; an empty value deletes the key.
    [[nodiscard]] std::optional<std::string> metadata(std::string_view key) const;
    void set_metadata(std::string_view key, std::string_view value);
    /// Every metadata key that starts with `prefix`, in byte order.
    [[nodiscard]] std::vector<std::string> metadata_keys(std::string_view prefix) const;

    /// Makes every change since opening (or the last commit) durable and visible, atomically.
    /// Throws DatabaseError if it fails (a full disk), leaving the database as of the last
    /// commit. Xapian 1.4.22 instead calls std::terminate when a commit of a database that
    /// already has a revision fails part-way, here or in a parallel build's shard; the database
    /// is still as of the last commit. search-index installs a terminate handler that reports it
    /// and calls remove_abandoned_builds(); an embedder that must survive a full disk can do the
    /// same. A database holding a shard of a cluster also keeps its word terms, for "did you
    /// mean" over the cluster, which costs a read of every word of the index.
    void commit();

    /// A commit in the middle of a run, as commit(), which leaves a shard's word terms to the
    /// run's last commit(): searchers of its cluster read them word by word until then.
    void commit_progress();

    /// Brings the native index beside the database (`<path>/trouvere.native`, which Searcher
    /// answers from) up to the last commit: builds it, from the committed database, when it is
    /// missing, older than the last commit, damaged or of another format version, and does
    /// nothing when it is current. Returns whether it built one. Call it after the last commit
    /// of a batch of changes: building reads the whole database (seconds for a large one), and
    /// until it is done searches answer from Xapian, with the same results. The new file replaces
    /// the old one in one rename: a reader, or a crash, sees the old index or the new one.
    /// Throws DatabaseError when it cannot be built (a full disk); the database is untouched and
    /// searches keep answering from Xapian.
    bool update_native_index();

    /// True while an empty database is being built on several cores: until the next commit()
    /// nothing reaches the database, and that commit ends the parallel build (later changes are
    /// written directly), so callers that commit as they go wait for the end instead.
    [[nodiscard]] bool builds_in_bulk() const;

    [[nodiscard]] std::size_t document_count() const;
    [[nodiscard]] const std::string& path() const;

    /// True until the first commit when the database was written by an older version of
    /// trouvere, whose layout the searcher no longer reads: the writer then starts from empty and
    /// commit() replaces the old database with the documents given since opening.
    [[nodiscard]] bool rebuilds_outdated_database() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Removes the scratch folders that a parallel build of the database at `path` leaves beside it
/// when its process ends without unwinding (killed, or ended by an error it cannot recover
/// from). The next writer removes them when it opens; a process that is about to end after such
/// an error calls this to give the space back at once. Only for the process that holds the
/// database's writer lock.
TROUVERE_EXPORT void remove_abandoned_builds(const std::string& path);

}  // namespace trouvere
