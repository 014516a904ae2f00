// Titles for documents whose format gives none: drawn from the first paragraph, and not repeated
// at the top of the body.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trouvere::readers {

/// A title drawn from the first paragraph of a document that has none.
struct DerivedTitle {
    std::string text;
    /// The title is the whole paragraph, so the body need not repeat it.
    bool whole = false;
};

/// The paragraph itself when it is title-sized; otherwise its first sentence if that is short
/// enough, else its first ~120 characters cut at a word boundary and ended with "…".
[[nodiscard]] DerivedTitle title_from_paragraph(std::string_view paragraph);

/// Removes the first line of the first paragraph (and the paragraph, if that was all of it) when
/// it is `title`: the body does not start by repeating the title.
void drop_leading_title(std::vector<std::string>& paragraphs, std::string_view title);

}  // namespace trouvere::readers
