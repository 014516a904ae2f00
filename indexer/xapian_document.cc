#include "indexer/xapian_document.h"

#include "analysis/sentence_breaks.h"
#include "core/stored_document.h"
#include "core/term_scheme.h"

namespace trouvere::indexer {

namespace {

// Adds the words of `tokens` to `document` and returns the next free position.
// Title words also go into the title family and weigh kTitleWdf in the unprefixed one.
Xapian::termpos index_tokens(Xapian::Document& document, const std::vector<Token>& tokens,
                             Xapian::termpos first_position, bool is_title) {
    Xapian::termpos next = first_position;
    const Xapian::termcount wdf = is_title ? scheme::kTitleWdf : 1;
    for (const Token& token : tokens) {
        next = token.position + 1;
        document.add_posting(token.term, token.position, wdf);
        if (is_title) {
            document.add_posting(std::string(scheme::kTitlePrefix) + token.term, token.position);
        }
        if (!token.accented_term.empty()) {
            document.add_term(std::string(scheme::kAccentedPrefix) + token.accented_term);
        }
        if (!token.is_stopword && !token.word.empty()) {
            document.add_term(std::string(scheme::kWordPrefix) + token.word, wdf);
            if (!token.accented_word.empty()) {
                document.add_term(std::string(scheme::kExactWordPrefix) + token.accented_word, wdf);
            }
        }
    }
    return next;
}

// The whole-title term of `title`'s words, none when it has no word.
void index_whole_title(Xapian::Document& document, const std::vector<Token>& title) {
    std::vector<std::string_view> words;
    for (const Token& token : title) {
        if (token.word.empty()) return;
        words.push_back(token.word);
    }
    if (!words.empty()) document.add_term(scheme::whole_title_term(words));
}

}  // namespace

Xapian::Document to_xapian_document(Analyzer& analyzer, const Document& document) {
    Xapian::Document result;
    result.add_boolean_term(scheme::id_term(document.id));
    const std::vector<Token> title = analyzer.analyze(document.title, 1);
    Xapian::termpos next = index_tokens(result, title, 1, true);
    index_whole_title(result, title);
    Xapian::termpos body_position = next + scheme::kBodyPositionGap;
    std::vector<Token> body = analyzer.analyze(document.body, body_position);
    index_tokens(result, body, body_position, false);

    const std::string header = stored::encode_header(document);
    std::string word_offsets;
    std::string sentence_breaks;
    if (!document.body.empty()) {
        word_offsets = stored::encode_word_offsets(body_position, body);
        sentence_breaks = stored::encode_sentence_breaks(analysis::sentence_breaks(document.body));
    }
    result.add_value(
        scheme::kFullRecordSlot,
        stored::encode_full_record(header, word_offsets, sentence_breaks, document.body));
    result.add_value(scheme::kHeaderSlot, header);
    if (!document.date.empty()) result.add_value(scheme::kDateSlot, document.date);
    if (!document.source.empty()) result.add_value(scheme::kSourceSlot, document.source);
    return result;
}

}  // namespace trouvere::indexer
