#pragma once

#include <xapian.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "trouvere/analyzer.h"
#include "trouvere/document.h"

namespace trouvere::indexer {

/// Builds a new database on several cores: documents are analysed and written by one thread per
/// shard (routed by a hash of the id, so that replacing or removing an id reaches the thread that
/// wrote it), and finish() merges the shards with Xapian's compaction into one compact database.
/// Xapian's writer is single-threaded; shards are how a build uses more than one core.
///
/// A shard is a series of scratch Xapian databases, its generations: each holds a bounded amount
/// of text, so that what writing a document costs does not grow with the corpus.
///
/// Only for databases that are empty when the run starts: contains() and metadata() answer from
/// what this build was given, not from an existing database.
class BulkBuild {
public:
    /// Text (titles and bodies, in bytes) a shard writes into one generation before it starts the
    /// next. Each commit rewrites the B-tree blocks its documents touch, and the bigger the
    /// database, the more blocks a commit touches: with one database per shard, building four
    /// times the Littré took 19% more CPU time per megabyte than the Littré alone, and 10% with
    /// generations of this size, with half the system time.
    static constexpr std::size_t kGenerationTextBytes = std::size_t{16} << 20;

    /// Shards live in `scratch`, which is created and, on destruction, removed with everything in
    /// it. Throws DatabaseError if a shard cannot be created.
    BulkBuild(std::filesystem::path scratch, unsigned shards,
              std::size_t generation_text_bytes = kGenerationTextBytes);
    ~BulkBuild();
    BulkBuild(const BulkBuild&) = delete;
    BulkBuild& operator=(const BulkBuild&) = delete;

    /// Queue work for a shard's thread; they block while that thread is far behind, and throw
    /// DatabaseError if a shard has failed.
    void add_or_replace(const Document& document);
    bool remove(const std::string& id);

    [[nodiscard]] bool contains(const std::string& id) const { return ids_.contains(id); }
    [[nodiscard]] std::size_t document_count() const { return ids_.size(); }

    [[nodiscard]] std::optional<std::string> metadata(const std::string& key) const;
    void set_metadata(const std::string& key, const std::string& value);
    [[nodiscard]] std::vector<std::string> metadata_keys(const std::string& prefix) const;

    /// Waits for every shard, writes the metadata, and compacts the shards into the new
    /// database folder `output` (which must not exist), with every file synced to disk.
    /// Throws DatabaseError if any shard failed.
    void finish(const std::filesystem::path& output);

private:
    struct Work {
        Document document;
        bool is_removal = false;
        // The id is in the build already, so the document it names must go first.
        bool replaces = false;
    };

    struct Shard {
        // Generation g is the database folder_prefix + g; the last one is `db`, being written.
        std::string folder_prefix;
        std::vector<std::filesystem::path> generations;
        Xapian::WritableDatabase db;
        std::size_t uncommitted = 0;
        std::size_t text_bytes = 0;  // of the documents written into `db`
        // Which generation holds each id, for replacements and removals; and the ids that a
        // later generation replaced or removed, per generation, deleted from it before the merge.
        std::unordered_map<std::string, std::size_t> generation_of;
        std::vector<std::vector<std::string>> superseded;
        std::deque<Work> queue;
        std::thread thread;
    };

    void run_shard(Shard& shard);
    static void write(Shard& shard, Analyzer& analyzer, const Work& work);
    static void start_generation(Shard& shard);
    static void delete_superseded(const Shard& shard);
    void push(std::size_t shard, Work work);
    void stop_threads();
    void discard_pending_changes() noexcept;

    std::filesystem::path scratch_;
    std::size_t generation_text_bytes_;
    std::vector<std::unique_ptr<Shard>> shards_;
    // One lock for every queue: contention is negligible next to analysing and writing a document.
    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable room_ready_;
    bool closing_ = false;
    std::exception_ptr failure_;
    std::unordered_set<std::string> ids_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace trouvere::indexer
