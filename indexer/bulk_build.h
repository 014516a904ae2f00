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
/// shard (routed by a hash of the id, so that replacing or removing an id reaches the shard that
/// holds it), and finish() merges what the shards wrote with Xapian's compaction into one compact
/// database. Xapian's writer is single-threaded; shards are how a build uses more than one core.
///
/// A shard writes a series of scratch databases, its generations, starting the next once the
/// current one holds `generation_bytes` of document text. Each commit rewrites every B-tree block
/// its documents touched, and the bigger a tree the more blocks a batch of documents is spread
/// over, so one database per shard makes each document cost more as the corpus grows.
/// Generations keep the trees, and so the cost of a document, the same whatever the size of the
/// corpus; compaction merges any number of them in one pass. docs/DESIGN.md ("Parallel first
/// builds") has the measurements.
///
/// Only for databases that are empty when the run starts: contains() and metadata() answer from
/// what this build was given, not from an existing database.
class BulkBuild {
public:
    /// Document text (titles and bodies) a shard's generation holds before the next starts.
    static constexpr std::size_t kGenerationBytes = std::size_t{16} << 20U;

    /// Shards live in `scratch`, which is created and, on destruction, removed with everything in
    /// it. Throws DatabaseError if a shard cannot be created.
    BulkBuild(std::filesystem::path scratch, unsigned shards,
              std::size_t generation_bytes = kGenerationBytes);
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
        // The id was given earlier in this build, so an older generation may hold it.
        bool seen_before = false;
    };

    struct Shard {
        unsigned number = 0;
        // Generations before the current one, committed and closed, oldest first.
        std::vector<std::filesystem::path> closed;
        std::filesystem::path path;  // the current generation's
        Xapian::WritableDatabase db;
        std::size_t bytes = 0;  // of document text in the current generation
        // For ids given more than once: the generation that was current when the id was last
        // given or removed (an index into closed, or closed.size() for the current one). It
        // holds the id's latest version, or none; finish() deletes the id from the other closed
        // generations, opening each once.
        std::unordered_map<std::string, std::size_t> latest_generation;
        std::deque<Work> queue;
        std::size_t queued_bytes = 0;  // of document text in queue
        std::thread thread;
    };

    void open_generation(Shard& shard);
    static void write(Shard& shard, Analyzer& analyzer, const Work& work);
    void run_shard(Shard& shard);
    void push(std::size_t shard, Work work);
    void stop_threads();
    void discard_pending_changes() noexcept;
    static void delete_superseded_copies(const Shard& shard);

    std::filesystem::path scratch_;
    std::size_t generation_bytes_;
    std::vector<std::unique_ptr<Shard>> shards_;
    // One lock for every queue: contention is negligible next to analysing and writing a document.
    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable room_ready_;
    bool closing_ = false;
    std::exception_ptr failure_;
    std::unordered_set<std::string> ids_;
    // Ids removed during this build: one given again may still be in an older generation.
    std::unordered_set<std::string> removed_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace trouvere::indexer
