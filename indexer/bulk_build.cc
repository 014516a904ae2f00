#include "indexer/bulk_build.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/term_scheme.h"
#include "indexer/xapian_document.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"

namespace fs = std::filesystem;

namespace trouvere::indexer {

namespace {

// Work waiting per shard. The reader hands documents out in turn, so while one shard commits,
// the reader waits on that shard's full queue and the others drain theirs; a short queue leaves
// them idle. A thousand documents (about half a second of a shard's work on the Littré) ride
// those stalls out. The byte bound keeps a run of large documents (a body can be 1 MiB) from
// piling up in memory. docs/DESIGN.md ("Parallel first builds") has the measurements.
constexpr std::size_t kQueueDocuments = 1024;
constexpr std::size_t kQueueBytes = 8 * limits::kMiB;

// What a generation and a queue count of a document.
std::size_t text_bytes(const Document& document) {
    return document.title.size() + document.body.size();
}

// Xapian keeps a shard's uncommitted changes in maps keyed by term and by document, and every
// document added walks them: by 10,000 documents (Xapian's default flush) those walks miss the
// cache on each node. Committing a shard (without fsync) every few hundred documents keeps the
// maps small, which saves CPU time and peak memory for a database of the same size.
constexpr std::size_t kShardCommitEvery = 500;

void sync_path(const fs::path& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw DatabaseError("cannot open " + path.string() + " to sync it");
    int result = ::fsync(fd);
    ::close(fd);
    if (result != 0) throw DatabaseError("cannot sync " + path.string() + " to disk");
}

// The shards are written without fsync (they are scratch); the merged database is synced once,
// file by file and then its folder, before it replaces anything.
void sync_tree(const fs::path& folder) {
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.is_regular_file()) sync_path(entry.path(), O_RDONLY);
    }
    sync_path(folder, O_RDONLY | O_DIRECTORY);
}

}  // namespace

BulkBuild::BulkBuild(fs::path scratch, unsigned shards, std::size_t generation_bytes)
    : scratch_(std::move(scratch)), generation_bytes_(generation_bytes) {
    try {
        fs::remove_all(scratch_);
        fs::create_directories(scratch_);
        for (unsigned i = 0; i < shards; ++i) {
            auto shard = std::make_unique<Shard>();
            shard->number = i;
            open_generation(*shard);
            shards_.push_back(std::move(shard));
        }
    } catch (const Xapian::Error& error) {
        throw DatabaseError("cannot create scratch shard in " + scratch_.string() + ": " +
                            error.get_description());
    } catch (const fs::filesystem_error& error) {
        throw DatabaseError("cannot create " + scratch_.string() + ": " + error.what());
    }
    for (auto& shard : shards_) {
        Shard* owned = shard.get();
        shard->thread = std::thread([this, owned] { run_shard(*owned); });
    }
}

BulkBuild::~BulkBuild() {
    stop_threads();
    discard_pending_changes();
    shards_.clear();
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
}

void BulkBuild::open_generation(Shard& shard) {
    shard.path = scratch_ / ("shard-" + std::to_string(shard.number) + "-" +
                             std::to_string(shard.closed.size()));
    shard.db = Xapian::WritableDatabase(shard.path.string(),
                                        Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    shard.bytes = 0;
}

void BulkBuild::write(Shard& shard, Analyzer& analyzer, const Work& work) {
    std::string id_term = scheme::id_term(work.document.id);
    if (work.is_removal) {
        shard.db.delete_document(id_term);
    } else {
        shard.db.replace_document(id_term, to_xapian_document(analyzer, work.document));
        shard.bytes += text_bytes(work.document);
    }
    if (work.seen_before) shard.latest_generation[id_term] = shard.closed.size();
}

void BulkBuild::run_shard(Shard& shard) {
    Analyzer analyzer;
    std::size_t uncommitted = 0;
    for (;;) {
        Work work;
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [&] { return !shard.queue.empty() || closing_; });
            if (shard.queue.empty()) return;
            work = std::move(shard.queue.front());
            shard.queue.pop_front();
            shard.queued_bytes -= text_bytes(work.document);
            room_ready_.notify_all();
            if (failure_) continue;  // drain without working, so that producers never block
        }
        try {
            write(shard, analyzer, work);
            if (shard.bytes >= generation_bytes_) {
                shard.db.commit();
                shard.db.close();
                shard.closed.push_back(shard.path);
                open_generation(shard);
                uncommitted = 0;
            } else if (++uncommitted == kShardCommitEvery) {
                shard.db.commit();
                uncommitted = 0;
            }
        } catch (const Xapian::Error& error) {
            std::lock_guard lock(mutex_);
            if (!failure_) {
                failure_ = std::make_exception_ptr(
                    DatabaseError("shard " + shard.path.string() + ": " + error.get_description()));
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
        }
    }
}

void BulkBuild::push(std::size_t shard, Work work) {
    std::unique_lock lock(mutex_);
    Shard& target = *shards_[shard];
    // The bound is checked before adding, so that a document larger than it still goes in.
    room_ready_.wait(lock, [&] {
        return (target.queue.size() < kQueueDocuments && target.queued_bytes < kQueueBytes) ||
               failure_;
    });
    if (failure_) std::rethrow_exception(failure_);
    target.queued_bytes += text_bytes(work.document);
    target.queue.push_back(std::move(work));
    work_ready_.notify_all();
}

void BulkBuild::add_or_replace(const Document& document) {
    bool seen_before = !ids_.insert(document.id).second || removed_.contains(document.id);
    push(scheme::stable_hash(document.id) % shards_.size(),
         Work{.document = document, .is_removal = false, .seen_before = seen_before});
}

bool BulkBuild::remove(const std::string& id) {
    if (ids_.erase(id) == 0) return false;
    removed_.insert(id);
    push(scheme::stable_hash(id) % shards_.size(),
         Work{.document = Document{.id = id}, .is_removal = true, .seen_before = true});
    return true;
}

std::optional<std::string> BulkBuild::metadata(const std::string& key) const {
    auto found = metadata_.find(key);
    if (found == metadata_.end()) return std::nullopt;
    return found->second;
}

void BulkBuild::set_metadata(const std::string& key, const std::string& value) {
    if (value.empty()) {
        metadata_.erase(key);
    } else {
        metadata_[key] = value;
    }
}

std::vector<std::string> BulkBuild::metadata_keys(const std::string& prefix) const {
    std::vector<std::string> keys;
    for (auto entry = metadata_.lower_bound(prefix);
         entry != metadata_.end() && entry->first.starts_with(prefix); ++entry) {
        keys.push_back(entry->first);
    }
    return keys;
}

void BulkBuild::stop_threads() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    work_ready_.notify_all();
    for (auto& shard : shards_) {
        if (shard->thread.joinable()) shard->thread.join();
    }
}

// A WritableDatabase that goes out of scope with changes pending commits them, and Xapian 1.4.22
// aborts the process when that commit fails at some points (a full disk during a failed build):
// the error escapes through one of its destructors, and an explicit close() does the same. A
// database destroyed inside a transaction cancels it instead, which drops every pending change
// without writing: these are scratch shards, deleted next. A shard already closed by finish()
// refuses the transaction, and has nothing pending anyway.
void BulkBuild::discard_pending_changes() noexcept {
    for (auto& shard : shards_) {
        try {
            shard->db.begin_transaction(false);
        } catch (const Xapian::Error&) {  // NOLINT(bugprone-empty-catch): see above
        }
    }
}

// Inside a transaction, for the reason discard_pending_changes() gives: a failure part way
// through cancels the deletions instead of committing them from a destructor.
void BulkBuild::delete_superseded_copies(const Shard& shard) {
    if (shard.latest_generation.empty()) return;
    for (std::size_t generation = 0; generation < shard.closed.size(); ++generation) {
        Xapian::WritableDatabase db(shard.closed[generation].string(),
                                    Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        db.begin_transaction(false);
        for (const auto& [id_term, latest] : shard.latest_generation) {
            if (latest != generation) db.delete_document(id_term);
        }
        db.commit_transaction();
        db.commit();
        db.close();
    }
}

void BulkBuild::finish(const fs::path& output) {
    stop_threads();
    if (failure_) std::rethrow_exception(failure_);
    try {
        for (const auto& [key, value] : metadata_) shards_.front()->db.set_metadata(key, value);
        Xapian::Database merged;
        for (auto& shard : shards_) {
            shard->db.commit();
            shard->db.close();
            delete_superseded_copies(*shard);
            for (const fs::path& generation : shard->closed) {
                merged.add_database(Xapian::Database(generation.string()));
            }
            merged.add_database(Xapian::Database(shard->path.string()));
        }
        merged.compact(output.string(), Xapian::Compactor::FULL);
    } catch (const Xapian::Error& error) {
        throw DatabaseError("cannot merge shards into " + output.string() + ": " +
                            error.get_description());
    }
    sync_tree(output);
}

}  // namespace trouvere::indexer
