#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/export.h"
#include "trouvere/index_writer.h"

namespace trouvere {

/// A file, or a line of one, that was skipped or only partly used, and why.
struct IndexWarning {
    std::string file;
    /// 1-based line, 0 when the problem concerns the whole file.
    std::size_t line = 0;
    /// 0-based byte offset in the file where the problem was found, when known.
    std::size_t offset = 0;
    bool has_offset = false;
    /// What went wrong, without the position (that is in the fields above).
    std::string message;
    /// The file or line was left out. False when its document was indexed without the part the
    /// message names (an unreadable date, malformed front matter).
    bool skipped = true;
};

struct IndexProgress {
    std::size_t files_seen = 0;
    std::size_t documents_written = 0;
    std::string current_file;
    /// Every file has been read and --prune now deletes the documents of files gone.
    bool pruning = false;
};

struct IndexOptions {
    /// Delete documents whose source file no longer exists.
    bool prune = false;
    /// Commit after the file during which this many documents have been written since the last
    /// commit; 0: never (the caller's final commit makes the whole run one change). A killed
    /// run loses only what it wrote since its last commit, and the next run skips the files
    /// already committed. At 1,000, the fsyncs of a commit are a small part of indexing the
    /// documents before it, and Xapian's postings held in memory until a commit stay small; a
    /// larger transaction is no faster. A first build into an empty database commits only at its
    /// end (IndexWriter::builds_in_bulk).
    std::size_t commit_every = 1'000;
    /// Index only the documents of shard `shard` of `shards` (shard_of), so that each machine of
    /// a cluster indexes its share of the same files; 1 of 1, the default, is every document. The
    /// database records which shard it holds, and refuses to hold another (Error).
    std::uint32_t shard = 1;
    std::uint32_t shards = 1;
    /// Called for every warning as it happens (the report keeps them too).
    std::function<void(const IndexWarning&)> on_warning;
    /// Called after each file, and once more when pruning begins.
    std::function<void(const IndexProgress&)> on_progress;
    /// Called just before and just after each commit that index_paths makes (not the caller's
    /// final one), with the files seen so far: they are all in that commit.
    std::function<void(const IndexProgress&)> before_commit;
    std::function<void(const IndexProgress&)> after_commit;
};

struct IndexReport {
    std::size_t added = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
    std::size_t deleted = 0;
    /// Files or records skipped as bad input (warnings with `skipped` set).
    std::size_t skipped = 0;
    std::vector<IndexWarning> warnings;
};

/// The shard, from 1 to `shards`, that the document with this id belongs to: 1 + the id's 64-bit
/// FNV-1a hash (its UTF-8 bytes as given) modulo `shards`. Stable across builds, platforms and
/// versions, so that machines indexing the same files agree. `shards` must be at least 1.
[[nodiscard]] TROUVERE_EXPORT std::uint32_t shard_of(std::string_view id, std::uint32_t shards);

/// Indexes files and folders (recursively) into `writer`: `.txt`, `.md`/`.markdown`, `.html`/`.htm`
/// and `.jsonl`; other files are ignored. A file's documents have ids relative to the argument they
/// were found under. Files unchanged since the last run are skipped; changed ones replace their
/// documents. Bad input is skipped with a warning and never stops the run.
///
/// Files are read in a fixed order (each argument in turn, its files sorted by id), and commits
/// fall between files (see IndexOptions::commit_every): every commit holds a file's documents
/// and its record together, and the files before it. The caller makes the final commit, which
/// holds the rest and what --prune deletes.
/// Throws DatabaseError if the database fails, Error if a path given does not exist or the
/// database holds another shard than IndexOptions asks for (or holds every document, and a shard
/// is asked for, or the reverse).
[[nodiscard]] TROUVERE_EXPORT IndexReport index_paths(IndexWriter& writer,
                                                      const std::vector<std::string>& paths,
                                                      const IndexOptions& options = {});

}  // namespace trouvere
