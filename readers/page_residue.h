// Page residue: the lines scraped news pages leave between paragraphs that are never article
// text (ad slots, image placeholders, related-article links).
#pragma once

#include <string_view>

namespace trouvere::readers {

/// True for a line that scraped pages leave behind and that is never article text (see the list
/// in page_residue.cc), compared after folding (text/folding.h).
[[nodiscard]] bool is_page_residue(std::string_view line);

}  // namespace trouvere::readers
