#include "server/searcher_pool.h"

#include <utility>

#include "server/server_limits.h"
#include "trouvere/error.h"

namespace trouvere::server {

SearcherPool::SearcherPool(std::string path) : path_(std::move(path)) {}

SearcherPool::Lease::Lease(SearcherPool& pool, std::unique_ptr<Slot> slot)
    : pool_(pool), slot_(std::move(slot)) {}

SearcherPool::Lease::~Lease() {
    pool_.give_back(std::move(slot_));
}

SearcherPool::Lease SearcherPool::acquire() {
    std::unique_ptr<Slot> slot;
    {
        const std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            slot = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (!slot) slot = std::make_unique<Slot>();
    const auto now = std::chrono::steady_clock::now();
    try {
        if (!slot->searcher) {
            slot->searcher.emplace(path_);
            slot->checked = now;
        } else if (now - slot->checked >= limits::kReopenInterval) {
            slot->checked = now;
            slot->searcher->reopen();
        }
    } catch (const DatabaseError&) {
        // Gone or broken: the next request opens the database afresh.
        slot->searcher.reset();
        give_back(std::move(slot));
        throw;
    }
    return {*this, std::move(slot)};
}

void SearcherPool::give_back(std::unique_ptr<Slot> slot) {
    const std::lock_guard lock(mutex_);
    idle_.push_back(std::move(slot));
}

}  // namespace trouvere::server
