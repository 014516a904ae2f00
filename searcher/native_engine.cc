#include "searcher/native_engine.h"

#include <sys/stat.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "native/damaged.h"
#include "searcher/native_matching.h"

namespace trouvere::searcher {

namespace {

std::string damaged_in(const native::NativeIndex& index, const native::Damaged& error) {
    const std::string what = error.what();
    const std::string path = index.file().path().string();
    return what.find(path) != std::string::npos ? what
                                                : "native index " + path + " is damaged: " + what;
}

}  // namespace

NativeEngine::NativeEngine(std::shared_ptr<const native::NativeIndex> index)
    : index_(std::move(index)) {}

MatchEngine::Matches NativeEngine::match(const TermQuery& query, const Request& request) {
    try {
        return match_native(*index_, query, request);
    } catch (const native::Damaged& error) {
        throw native::Damaged(damaged_in(*index_, error));
    }
}

std::string_view NativeEngine::header(DocumentNumber document, std::string& /*buffer*/) {
    return index_->header(document);
}

std::string_view NativeEngine::full_record(DocumentNumber document, std::string& /*buffer*/) {
    return index_->full_record(document);
}

std::vector<std::vector<std::uint32_t>> NativeEngine::positions(
    const std::string& term, std::span<const DocumentNumber> documents) {
    std::vector<std::vector<std::uint32_t>> found(documents.size());
    try {
        const auto info = index_->find_term(term);
        if (!info) return found;
        native::PostingCursor cursor = index_->cursor(*info, true);
        for (std::size_t k = 0; k < documents.size(); ++k) {
            cursor.skip_to(documents[k]);
            if (cursor.doc() == documents[k]) cursor.positions(found[k]);
        }
    } catch (const native::Damaged& error) {
        throw native::Damaged(damaged_in(*index_, error));
    }
    return found;
}

std::uint32_t NativeEngine::frequency(const std::string& term) {
    try {
        const auto info = index_->find_term(term);
        return info ? info->frequency : 0;
    } catch (const native::Damaged& error) {
        throw native::Damaged(damaged_in(*index_, error));
    }
}

const native::SpellingDictionary& NativeEngine::spelling_dictionary() {
    if (!spelling_) {
        try {
            spelling_ = index_->spelling_dictionary();
        } catch (const native::Damaged& error) {
            throw native::Damaged(damaged_in(*index_, error));
        }
    }
    return *spelling_;
}

std::size_t NativeEngine::document_count() const {
    return index_->stats().document_count;
}

MatchEngine::State NativeEngine::state() {
    return {index_->source().uuid, index_->source().revision};
}

NativeOpening open_native_engine(const std::string& path, MatchEngine& records,
                                 std::unique_ptr<NativeEngine> current) {
    const std::filesystem::path file = std::filesystem::path(path) / native::kFileName;
    const MatchEngine::State wanted = records.state();
    if (current) {
        struct stat status {};
        if (::stat(file.c_str(), &status) == 0 &&
            status.st_dev == current->index().file().device() &&
            status.st_ino == current->index().file().inode() && current->state() == wanted) {
            return {std::move(current), {}, false};
        }
    }
    auto opened = native::NativeIndex::open(file);
    if (!opened.index) {
        return {nullptr, opened.reason, opened.refusal != native::Refusal::missing};
    }
    if (opened.index->source().uuid != wanted.uuid ||
        opened.index->source().revision != wanted.revision) {
        return {nullptr,
                "native index " + file.string() +
                    " was built from another state of the database; search-index brings it up "
                    "to date",
                false};
    }
    NativeOpening opening;
    opening.engine = std::make_unique<NativeEngine>(std::move(opened.index));
    return opening;
}

}  // namespace trouvere::searcher
