#include "indexer/xapian_document.h"

#include "core/stored_document.h"
#include "core/term_scheme.h"

namespace trouvere::indexer {

namespace {

// Adds `text` to `document` from `first_position` on and returns the next free position.
// Title words also go into the title family and weigh kTitleWdf in the unprefixed one.
Xapian::termpos index_text(Analyzer& analyzer, Xapian::Document& document, std::string_view text,
                           Xapian::termpos first_position, bool is_title) {
    Xapian::termpos next = first_position;
    for (const Token& token : analyzer.analyze(text, first_position)) {
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
    result.set_data(document.body);
    result.add_value(scheme::kHeaderSlot, stored::encode_header(document));
    result.add_boolean_term(scheme::id_term(document.id));
    Xapian::termpos next = index_text(analyzer, result, document.title, 1, true);
    index_text(analyzer, result, document.body, next + scheme::kBodyPositionGap, false);
    if (!document.date.empty()) result.add_value(scheme::kDateSlot, document.date);
    return result;
}

}  // namespace trouvere::indexer
