#include "readers/page_residue.h"

#include <algorithm>
#include <array>
#include <string>

#include "text/folding.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

// Lines that scraped news pages leave between paragraphs and that are never article text, compared
// after folding and trimming dashes, bullets and a trailing colon. Kept short on purpose: every
// entry must be something no article would print as a line of its own.
//   spot_img                 WordPress image placeholder (corpus/000)
//   advertisement/publicité  ad slots, also as "- Advertisement -"
//   lire aussi/à lire aussi  header of a related-articles box (corpus/000)
// plus "Lire aussi : <headline>" links to other articles (corpus/002, 004).
constexpr std::array<std::string_view, 5> kResidueLines{
    "spot_img", "advertisement", "publicite", "lire aussi", "a lire aussi",
};
constexpr std::array<std::string_view, 2> kRelatedLinkPrefixes{"lire aussi", "a lire aussi"};

// A headline link or a marker is short; longer lines are prose and are not even folded.
constexpr std::size_t kMaxResidueBytes = 400;

std::string_view trim_residue_decoration(std::string_view text) {
    constexpr std::array<std::string_view, 4> kDecorations{"\xE2\x80\x93", "\xE2\x80\x94",
                                                           "\xE2\x80\xA2", "\xC2\xB7"};
    for (bool changed = true; changed && !text.empty();) {
        changed = false;
        if (std::string_view(" -:|*").find(text.front()) != std::string_view::npos) {
            text.remove_prefix(1);
            changed = true;
        } else if (std::string_view(" -:|*").find(text.back()) != std::string_view::npos) {
            text.remove_suffix(1);
            changed = true;
        }
        for (std::string_view decoration : kDecorations) {
            if (text.starts_with(decoration)) {
                text.remove_prefix(decoration.size());
                changed = true;
            }
            if (text.ends_with(decoration)) {
                text.remove_suffix(decoration.size());
                changed = true;
            }
        }
    }
    return text;
}

}  // namespace

bool is_page_residue(std::string_view line) {
    line = text::trim_white_space(line);
    if (line.empty() || line.size() > kMaxResidueBytes) return false;
    std::string folded = text::fold(line);
    std::string_view key = trim_residue_decoration(folded);
    if (std::find(kResidueLines.begin(), kResidueLines.end(), key) != kResidueLines.end()) {
        return true;
    }
    // "Lire aussi : <headline>": the colon tells a link from a sentence that starts that way.
    std::string_view untrimmed = text::trim_white_space(folded);
    return std::any_of(
        kRelatedLinkPrefixes.begin(), kRelatedLinkPrefixes.end(),
        [untrimmed](std::string_view prefix) {
            return untrimmed.starts_with(prefix) &&
                   text::trim_white_space(untrimmed.substr(prefix.size())).starts_with(':');
        });
}

}  // namespace trouvere::readers
