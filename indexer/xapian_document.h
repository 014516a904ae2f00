#pragma once

#include <xapian.h>

#include "trouvere/analyzer.h"
#include "trouvere/document.h"

namespace trouvere::indexer {

/// The Xapian document for `document` under the term scheme (core/term_scheme.h): stored
/// fields, id term, title and body terms with positions, accented stems, date value.
[[nodiscard]] Xapian::Document to_xapian_document(Analyzer& analyzer, const Document& document);

}  // namespace trouvere::indexer
