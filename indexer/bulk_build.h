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
#include <unordered_set>
#include <vector>

#include "trouvere/document.h"

namespace trouvere::indexer {

/// Builds a new database on several cores: documents are analysed and written by one thread per
/// shard (a scratch Xapian database each, routed by a hash of the id, so that replacing or
/// removing an id reaches the shard that holds it), and finish() merges the shards with Xapian's
/// compaction into one compact database. Xapian's writer is single-threaded; shards are how a
/// build uses more than one core.
///
/// Only for databases that are empty when the run starts: contains() and metadata() answer from
/// what this build was given, not from an existing database.
class BulkBuild {
public:
    /// Shards live in `scratch`, which is created and, on destruction, removed with everything in
    /// it. Throws DatabaseError if a shard cannot be created.
    BulkBuild(std::filesystem::path scratch, unsigned shards);
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
    };

    struct Shard {
        std::filesystem::path path;
        Xapian::WritableDatabase db;
        std::deque<Work> queue;
        std::thread thread;
    };

    void run_shard(Shard& shard);
    void push(std::size_t shard, Work work);
    void stop_threads();
    void discard_pending_changes() noexcept;

    std::filesystem::path scratch_;
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
