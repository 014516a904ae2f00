#include "analysis/sentence_breaks.h"

#include <memory>
#include <string>

#include "trouvere/error.h"

namespace trouvere::analysis {

SentenceWalker::SentenceWalker(icu::BreakIterator& iterator, std::string_view text)
    : iterator_(iterator) {
    UErrorCode status = U_ZERO_ERROR;
    utext_openUTF8(&text_, text.data(), static_cast<int64_t>(text.size()), &status);
    iterator_.setText(&text_, status);
    if (U_FAILURE(status)) {
        iterator_.setText(icu::UnicodeString());
        utext_close(&text_);
        throw Error(std::string("ICU cannot read the text for sentence breaks: ") +
                    u_errorName(status));
    }
}

SentenceWalker::~SentenceWalker() {
    // Detach the iterator from the UText before the UText goes away.
    iterator_.setText(icu::UnicodeString());
    utext_close(&text_);
}

std::optional<std::size_t> SentenceWalker::next() {
    const int32_t boundary = started_ ? iterator_.next() : iterator_.first();
    started_ = true;
    if (boundary == icu::BreakIterator::DONE) return std::nullopt;
    return static_cast<std::size_t>(boundary);
}

std::unique_ptr<icu::BreakIterator> make_sentence_iterator() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getFrench(), status));
    if (U_FAILURE(status) || !iterator) {
        throw Error(std::string("ICU cannot provide French sentence breaks: ") +
                    u_errorName(status));
    }
    return iterator;
}

std::vector<std::size_t> sentence_breaks(std::string_view text) {
    thread_local std::unique_ptr<icu::BreakIterator> iterator = make_sentence_iterator();
    std::vector<std::size_t> breaks;
    SentenceWalker walker(*iterator, text);
    while (auto boundary = walker.next()) breaks.push_back(*boundary);
    return breaks;
}

}  // namespace trouvere::analysis
