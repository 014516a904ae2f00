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
    for (const Token& token : tokens) {
        next = token.position + 1;
        document.add_posting(token.term, token.position, is_title ? scheme::kTitleWdf : 1);
        if (is_title) {
            document.add_posting(std::string(scheme::kTitlePrefix) + token.term, token.position);
        }
        if (!token.accented_term.empty()) {
            document.add_term(std::string(scheme::kAccentedPrefix) + token.accented_term);
        }
    }
    return next;
}

}  // namespace

Xapian::Document to_xapian_document(Analyzer& analyzer, const Document& document) {
    Xapian::Document result;
    result.add_boolean_term(scheme::id_term(document.id));
    Xapian::termpos next = index_tokens(result, analyzer.analyze(document.title, 1), 1, true);
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
