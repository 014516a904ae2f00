#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/document.h"

namespace trouvere {

/// Writes documents into a trouvere database (a Xapian database laid out by the term scheme in
/// the README). Changes become visible and durable only at commit(), all at once: a reader, or a
/// crash, sees either the state before the commit or the state after it, never a half.
///
/// One writer per database at a time: a second one fails to open with DatabaseError.
/// Not thread-safe.
class IndexWriter {
public:
    /// Opens the database at `path`, creating it (and missing parent folders) if needed.
    /// Throws DatabaseError naming the path if it is locked by another writer or cannot be opened.
    ///
    /// A database that is empty when opened is built on up to `threads` cores (0: all of them):
    /// documents go to scratch shards next to it, which commit() merges and compacts into the
    /// new database before moving it into place. Later changes, and changes to a database that
    /// already had documents, are written directly.
    explicit IndexWriter(const std::string& path, unsigned threads = 0);
    /// Discards uncommitted changes.
    ~IndexWriter();
    IndexWriter(IndexWriter&&) noexcept;
    IndexWriter& operator=(IndexWriter&&) noexcept;
    IndexWriter(const IndexWriter&) = delete;
    IndexWriter& operator=(const IndexWriter&) = delete;

    /// Analyses and adds `document`, replacing any document with the same id.
    /// Throws DocumentError if the id is empty, DatabaseError if the database fails.
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
    void commit();

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

}  // namespace trouvere
