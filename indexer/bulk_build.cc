#include "indexer/bulk_build.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/term_scheme.h"
#include "indexer/xapian_document.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"

namespace fs = std::filesystem;

namespace trouvere::indexer {

namespace {

// Documents waiting per shard: enough to keep a shard busy while the reader parses the next
// file, few enough that a huge run does not pile up in memory.
constexpr std::size_t kQueueCapacity = 64;

// Xapian keeps a shard's uncommitted changes in maps keyed by term and by document, and every
// document added walks them: by 10,000 documents (Xapian's default flush) those walks miss the
// cache on each node and take over a quarter of a build. Committing a shard (without fsync) every
// few hundred documents keeps the maps small; measured on the Littré, 500 halves the CPU time
// against the default and lowers peak memory, and the database is the same size.
constexpr std::size_t kShardCommitEvery = 500;

// Past this many generations a shard writes on into its last one: the merge opens every
// generation at once, with a few files each.
constexpr std::size_t kMaxGenerations = 32;

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

BulkBuild::BulkBuild(fs::path scratch, unsigned shards, std::size_t generation_text_bytes)
    : scratch_(std::move(scratch)), generation_text_bytes_(generation_text_bytes) {
    try {
        fs::remove_all(scratch_);
        fs::create_directories(scratch_);
        for (unsigned i = 0; i < shards; ++i) {
            auto shard = std::make_unique<Shard>();
            shard->folder_prefix = (scratch_ / ("shard-" + std::to_string(i) + "-")).string();
            start_generation(*shard);
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

void BulkBuild::start_generation(Shard& shard) {
    fs::path path = shard.folder_prefix + std::to_string(shard.generations.size());
    shard.db = Xapian::WritableDatabase(path.string(),
                                        Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    shard.generations.push_back(std::move(path));
    shard.superseded.emplace_back();
    shard.uncommitted = 0;
    shard.text_bytes = 0;
}

// An id new to the build is added without a lookup. One the build has already seen leaves the
// generation that holds it: deleted at once from the one being written, else noted, and deleted
// from its closed generation before the merge.
void BulkBuild::write(Shard& shard, Analyzer& analyzer, const Work& work) {
    const std::string& id = work.document.id;
    if (work.replaces || work.is_removal) {
        auto found = shard.generation_of.find(id);
        if (found != shard.generation_of.end()) {
            if (found->second + 1 == shard.generations.size()) {
                shard.db.delete_document(scheme::id_term(id));
            } else {
                shard.superseded[found->second].push_back(id);
            }
            shard.generation_of.erase(found);
        }
    }
    if (work.is_removal) return;
    shard.db.add_document(to_xapian_document(analyzer, work.document));
    shard.generation_of.emplace(id, shard.generations.size() - 1);
    shard.text_bytes += work.document.title.size() + work.document.body.size();
}

void BulkBuild::run_shard(Shard& shard) {
    Analyzer analyzer;
    for (;;) {
        Work work;
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [&] { return !shard.queue.empty() || closing_; });
            if (shard.queue.empty()) return;
            work = std::move(shard.queue.front());
            shard.queue.pop_front();
            room_ready_.notify_all();
            if (failure_) continue;  // drain without working, so that producers never block
        }
        try {
            write(shard, analyzer, work);
            if (shard.text_bytes >= generation_text_bytes_ &&
                shard.generations.size() < kMaxGenerations) {
                shard.db.commit();
                shard.db.close();
                start_generation(shard);
            } else if (++shard.uncommitted == kShardCommitEvery) {
                shard.db.commit();
                shard.uncommitted = 0;
            }
        } catch (const Xapian::Error& error) {
            std::lock_guard lock(mutex_);
            if (!failure_) {
                failure_ = std::make_exception_ptr(DatabaseError(
                    "shard " + shard.generations.back().string() + ": " + error.get_description()));
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
        }
    }
}

void BulkBuild::push(std::size_t shard, Work work) {
    std::unique_lock lock(mutex_);
    auto& queue = shards_[shard]->queue;
    room_ready_.wait(lock, [&] { return queue.size() < kQueueCapacity || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    queue.push_back(std::move(work));
    work_ready_.notify_all();
}

void BulkBuild::add_or_replace(const Document& document) {
    bool replaces = !ids_.insert(document.id).second;
    push(scheme::stable_hash(document.id) % shards_.size(),
         Work{.document = document, .replaces = replaces});
}

bool BulkBuild::remove(const std::string& id) {
    if (ids_.erase(id) == 0) return false;
    push(scheme::stable_hash(id) % shards_.size(),
         Work{.document = Document{.id = id}, .is_removal = true});
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

// A closed generation is not written again while the build runs: the ids later generations took
// from it go in one pass, inside a transaction so that a failure leaves nothing pending.
void BulkBuild::delete_superseded(const Shard& shard) {
    for (std::size_t generation = 0; generation < shard.superseded.size(); ++generation) {
        const std::vector<std::string>& ids = shard.superseded[generation];
        if (ids.empty()) continue;
        Xapian::WritableDatabase db(shard.generations[generation].string(),
                                    Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
        db.begin_transaction(false);
        for (const std::string& id : ids) db.delete_document(scheme::id_term(id));
        db.commit_transaction();
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
            delete_superseded(*shard);
            for (const fs::path& generation : shard->generations) {
                merged.add_database(Xapian::Database(generation.string()));
            }
        }
        merged.compact(output.string(), Xapian::Compactor::FULL);
    } catch (const Xapian::Error& error) {
        throw DatabaseError("cannot merge shards into " + output.string() + ": " +
                            error.get_description());
    }
    sync_tree(output);
}

}  // namespace trouvere::indexer
