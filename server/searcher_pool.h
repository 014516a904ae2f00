#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "trouvere/searcher.h"

namespace trouvere::server {

/// Searchers for the threads that answer requests: a Searcher is not thread-safe, so each request
/// holds one alone, and as many are made as requests run at once (one per worker). Each follows
/// the database's commits and its native index within limits::kReopenInterval.
///
/// The database may be missing or unreadable: acquire() then throws, and the next request tries
/// again, so that the server answers once the database appears. Thread-safe.
class SearcherPool {
    // A Searcher, or none yet, and when it last looked for a commit.
    struct Slot {
        std::optional<Searcher> searcher;
        std::chrono::steady_clock::time_point checked;
    };

public:
    explicit SearcherPool(std::string path);

    /// A Searcher held alone until the lease ends.
    class Lease {
    public:
        Lease(SearcherPool& pool, std::unique_ptr<Slot> slot);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease(Lease&&) = delete;
        Lease& operator=(Lease&&) = delete;

        Searcher& operator*() const { return *slot_->searcher; }
        Searcher* operator->() const { return &*slot_->searcher; }

    private:
        SearcherPool& pool_;
        std::unique_ptr<Slot> slot_;
    };

    /// A Searcher no other request holds, moved to the latest commit when it has not looked for
    /// one for limits::kReopenInterval. Throws DatabaseError, naming the path, when the database
    /// cannot be opened or read.
    [[nodiscard]] Lease acquire();

private:
    void give_back(std::unique_ptr<Slot> slot);

    std::string path_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Slot>> idle_;
};

}  // namespace trouvere::server
