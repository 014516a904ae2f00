#include "trouvere/index_writer.h"

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "core/dates.h"
#include "core/folder_sync.h"
#include "core/term_scheme.h"
#include "core/xapian_errors.h"
#include "indexer/bulk_build.h"
#include "indexer/writer_lock.h"
#include "indexer/xapian_document.h"
#include "native/index_builder.h"
#include "native/word_terms.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"

namespace fs = std::filesystem;

namespace trouvere {

namespace {

using xapian_errors::rethrow_as_database_error;
using Clock = std::chrono::steady_clock;

// More shards than this cost more in merging than they save on a two-to-eight core machine.
constexpr unsigned kMaxShards = 8;

fs::path normalized(const std::string& path) {
    fs::path result = fs::absolute(path).lexically_normal();
    return result.filename().empty() ? result.parent_path() : result;
}

// Scratch folders of a bulk build sit next to the database, so that moving the result into
// place is a rename on the same file system.
std::string scratch_prefix(const fs::path& database) {
    return database.filename().string() + ".building-";
}

// A bulk build that was killed leaves its scratch folder behind. Only a writer holding the
// database's lock makes them, and we now hold it, so every one found is abandoned. Returns how
// many it removed.
std::size_t remove_scratch_folders(const fs::path& database) {
    std::error_code ignored;
    std::string prefix = scratch_prefix(database);
    std::size_t removed = 0;
    for (const auto& entry : fs::directory_iterator(database.parent_path(), ignored)) {
        if (entry.path().filename().string().starts_with(prefix)) {
            fs::remove_all(entry.path(), ignored);
            ++removed;
        }
    }
    return removed;
}

// Xapian's lock is also taken by programs that ignore ours (Xapian's own tools, an older
// trouvere): wait for it as for ours, until the same deadline.
Xapian::WritableDatabase open_writable(const fs::path& location, const std::string& path,
                                       Clock::time_point deadline) {
    for (;;) {
        try {
            return Xapian::WritableDatabase(location.string(), Xapian::DB_CREATE_OR_OPEN);
        } catch (const Xapian::DatabaseLockError&) {
            if (Clock::now() >= deadline) {
                throw DatabaseError("database " + path +
                                    " is locked by another program writing it with Xapian");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

// A new database is made in a scratch folder and renamed into place once it holds the scheme
// version: a crash while Xapian creates its files never leaves a half-made database at the
// path, only an abandoned scratch folder.
void create_database(const fs::path& location) {
    fs::path scratch = location.parent_path() / (scratch_prefix(location) + "new");
    fs::remove_all(scratch);
    {
        Xapian::WritableDatabase created(scratch.string(), Xapian::DB_CREATE);
        created.set_metadata(std::string(scheme::kSchemeKey), std::string(scheme::kSchemeVersion));
        created.commit();
    }
    fs::rename(scratch, location);
    sync_folder(location.parent_path());
}

// Swaps two folders in one step, so that the database path always holds a whole database, the
// old one or the new one: for a reader opening it at any moment and after a crash at any moment.
// File systems without RENAME_EXCHANGE (some network and FUSE ones) get two renames instead,
// with a moment when the path is missing.
void swap_folders(const fs::path& location, const fs::path& replacement) {
    if (::renameat2(AT_FDCWD, location.c_str(), AT_FDCWD, replacement.c_str(), RENAME_EXCHANGE) ==
        0) {
        return;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        throw DatabaseError("cannot move the new database into " + location.string() + ": " +
                            std::generic_category().message(errno));
    }
    fs::path previous = replacement.parent_path() / "previous";
    fs::rename(location, previous);
    try {
        fs::rename(replacement, location);
    } catch (const fs::filesystem_error&) {
        std::error_code ignored;
        fs::rename(previous, location, ignored);
        throw;
    }
}

// A shard's word terms, as its next commit leaves them, for searchers of its cluster
// (scheme::kWordTermsKey). Other databases are searched where they lie, from their native index
// or their terms, and pay nothing.
void keep_word_terms_of_shard(Xapian::WritableDatabase& db) {
    if (db.get_metadata(std::string(scheme::kShardKey)).empty()) return;
    const std::string key(scheme::kWordTermsKey);
    const std::string kept = native::encode_word_terms(db);
    // Unchanged, it is not written again: a commit that changes nothing keeps the revision, and
    // the native index built from it stays current.
    if (db.get_metadata(key) != kept) db.set_metadata(key, kept);
}

}  // namespace

struct TROUVERE_HIDDEN IndexWriter::Impl {
    std::string path;
    fs::path location;
    // Declared first so that it is released last, after the database is closed.
    std::optional<indexer::WriterLock> lock;
    Xapian::WritableDatabase db;
    Analyzer analyzer;
    // Set while an empty database is being built in parallel; reset by the commit that ends it.
    std::unique_ptr<indexer::BulkBuild> bulk;
    bool rebuilds_outdated = false;
    unsigned threads = 0;

    // IndexWriter::commit(), keeping a shard's word terms or not.
    void commit(bool keeping_word_terms);

    void open_for_updates() {
        db = open_writable(location, path, Clock::now());
        // Everything until commit() is one transaction, so Xapian's automatic flushes (every
        // 10,000 documents by default) never make half of a commit visible.
        db.begin_transaction();
    }

    // Replaces the (empty or outdated) database with the merged shards, which are synced to
    // disk first; then the folder holding both is synced, so the swap is the one durable commit
    // of the build. Our lock, outside the folder, is held throughout: no other writer can open
    // either folder meanwhile.
    void finish_bulk() {
        fs::path scratch = location.parent_path() / (scratch_prefix(location) + "final");
        fs::path merged = scratch / "merged";
        std::error_code ignored;
        fs::remove_all(scratch, ignored);
        // Whether the build fails or succeeds, the scratch folder goes: it holds a partial merge
        // or, after the swap, the replaced database.
        struct RemovedAtExit {
            fs::path folder;
            explicit RemovedAtExit(fs::path removed) : folder(std::move(removed)) {}
            RemovedAtExit(const RemovedAtExit&) = delete;
            RemovedAtExit& operator=(const RemovedAtExit&) = delete;
            ~RemovedAtExit() {
                std::error_code ignored;
                fs::remove_all(folder, ignored);
            }
        } removed(scratch);
        fs::create_directories(scratch);
        bulk->finish(merged);
        {
            Xapian::WritableDatabase built(merged.string(), Xapian::DB_OPEN);
            keep_word_terms_of_shard(built);
            built.commit();
        }
        db.close();
        swap_folders(location, merged);
        sync_folder(location.parent_path());
        bulk.reset();
        rebuilds_outdated = false;
        open_for_updates();
    }
};

IndexWriter::IndexWriter(const std::string& path, unsigned threads,
                         std::chrono::milliseconds lock_wait)
    : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->location = normalized(path);
    auto deadline = Clock::now() + lock_wait;
    try {
        std::error_code ignored;
        fs::create_directories(impl_->location.parent_path(), ignored);
        impl_->lock.emplace(impl_->location, lock_wait);
        if (!fs::exists(impl_->location) || fs::is_empty(impl_->location)) {
            create_database(impl_->location);
        }
        impl_->db = open_writable(impl_->location, path, deadline);
        auto scheme_version = impl_->db.get_metadata(std::string(scheme::kSchemeKey));
        bool empty = impl_->db.get_doccount() == 0;
        if (scheme_version.empty() && empty) {
            impl_->db.set_metadata(std::string(scheme::kSchemeKey),
                                   std::string(scheme::kSchemeVersion));
        } else if (scheme_version.empty()) {
            throw DatabaseError("database " + path +
                                " is a Xapian database that trouvere did not write; give another "
                                "--db");
        } else if (scheme_version != scheme::kSchemeVersion) {
            if (!scheme::is_older_version(scheme_version)) {
                throw DatabaseError("database " + path +
                                    " was written by a newer version of trouvere");
            }
            // An older layout cannot be searched any more: this run rebuilds it from the files
            // it is given, and replaces it only when it commits.
            impl_->rebuilds_outdated = true;
        }
        impl_->db.commit();
        remove_scratch_folders(impl_->location);

        impl_->threads = threads;
        unsigned cores = threads != 0 ? threads : std::thread::hardware_concurrency();
        unsigned shards = std::clamp(cores, 1U, kMaxShards);
        if ((empty && shards > 1) || impl_->rebuilds_outdated) {
            impl_->bulk = std::make_unique<indexer::BulkBuild>(
                impl_->location.parent_path() / (scratch_prefix(impl_->location) + "shards"),
                shards);
            impl_->bulk->set_metadata(std::string(scheme::kSchemeKey),
                                      std::string(scheme::kSchemeVersion));
        } else {
            impl_->db.begin_transaction();
        }
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(path, error);
    } catch (const fs::filesystem_error& error) {
        throw DatabaseError("database " + path + ": " + error.what());
    }
}

IndexWriter::~IndexWriter() {
    if (!impl_ || impl_->bulk) return;  // an unfinished bulk build removes its own shards
    try {
        impl_->db.cancel_transaction();
    } catch (const Xapian::Error&) {
        // Closing without the commit discards the changes either way.
    }
}

IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;

void IndexWriter::add_or_replace(const Document& document) {
    if (document.id.empty()) throw DocumentError("document has an empty id");
    if (!document.date.empty() && !dates::parse_iso_day(document.date)) {
        // Filters, sorts and counts by date compare the stored text as a day.
        throw DocumentError("document '" + document.id + "' has the date '" + document.date +
                            "', which is not a day written YYYY-MM-DD");
    }
    if (impl_->bulk) {
        impl_->bulk->add_or_replace(document);
        return;
    }
    try {
        impl_->db.replace_document(scheme::id_term(document.id),
                                   indexer::to_xapian_document(impl_->analyzer, document));
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(impl_->path, error);
    }
}

bool IndexWriter::remove(std::string_view id) {
    if (impl_->bulk) return impl_->bulk->remove(std::string(id));
    try {
        std::string id_term = scheme::id_term(id);
        if (!impl_->db.term_exists(id_term)) return false;
        impl_->db.delete_document(id_term);
        return true;
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(impl_->path, error);
    }
}

bool IndexWriter::contains(std::string_view id) const {
    if (impl_->bulk) return impl_->bulk->contains(std::string(id));
    try {
        return impl_->db.term_exists(scheme::id_term(id));
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(impl_->path, error);
    }
}

std::optional<std::string> IndexWriter::metadata(std::string_view key) const {
    if (impl_->bulk) return impl_->bulk->metadata(std::string(key));
    try {
        std::string value = impl_->db.get_metadata(std::string(key));
        if (value.empty()) return std::nullopt;
        return value;
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(impl_->path, error);
    }
}

void IndexWriter::set_metadata(std::string_view key, std::string_view value) {
    if (impl_->bulk) {
        impl_->bulk->set_metadata(std::string(key), std::string(value));
        return;
    }
    try {
        impl_->db.set_metadata(std::string(key), std::string(value));
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(impl_->path, error);
    }
}

std::vector<std::string> IndexWriter::metadata_keys(std::string_view prefix) const {
    if (impl_->bulk) return impl_->bulk->metadata_keys(std::string(prefix));
    try {
        std::vector<std::string> keys;
        std::string prefix_string(prefix);
        for (auto key = impl_->db.metadata_keys_begin(prefix_string);
             key != impl_->db.metadata_keys_end(prefix_string); ++key) {
            keys.push_back(*key);
        }
        return keys;
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(impl_->path, error);
    }
}

void IndexWriter::commit() {
    impl_->commit(true);
}

void IndexWriter::commit_progress() {
    impl_->commit(false);
}

void IndexWriter::Impl::commit(bool keeping_word_terms) {
    try {
        if (bulk) {
            finish_bulk();
            return;
        }
        if (keeping_word_terms) keep_word_terms_of_shard(db);
        db.commit_transaction();
        db.begin_transaction();
    } catch (const Xapian::Error& error) {
        rethrow_as_database_error(path, error);
    } catch (const fs::filesystem_error& error) {
        throw DatabaseError("database " + path + ": " + error.what());
    }
}

bool IndexWriter::update_native_index() {
    // Our writer lock keeps other writers out while the committed state is read.
    return native::update_native_index(impl_->location, impl_->threads);
}

std::size_t IndexWriter::document_count() const {
    if (impl_->bulk) return impl_->bulk->document_count();
    return impl_->db.get_doccount();
}

const std::string& IndexWriter::path() const {
    return impl_->path;
}

bool IndexWriter::rebuilds_outdated_database() const {
    return impl_->rebuilds_outdated;
}

bool IndexWriter::builds_in_bulk() const {
    return impl_->bulk != nullptr;
}

void remove_abandoned_builds(const std::string& path) {
    // The process calling this may still run the build on another thread, which can make the
    // merge's folder while the first pass removes the shards; it then waits for the shards, so
    // a pass that finds nothing means that nothing more will come.
    fs::path location = normalized(path);
    for (int pass = 0; pass < 4 && remove_scratch_folders(location) > 0; ++pass) {
    }
}

}  // namespace trouvere
