// Folding: the forms under which words that differ only by case, compatibility variants or
// accents compare equal. Defined once for the analyser's terms and for the readers' comparisons
// with fixed phrases (page residue, month names, charset labels), so that both agree on what
// `À LIRE`, `Publiée` or `Œuvre` is.
#pragma once

#include <string>
#include <string_view>

namespace trouvere::text {

/// `text` case-folded with its accents kept: Unicode's NFKC_Casefold, then the ligatures French
/// writes out (`œ` → `oe`, `æ` → `ae`, which NFKC leaves alone) expanded, and the typographic
/// apostrophes (U+2019, U+02BC) made ASCII. ASCII text is only lowered. Ill-formed UTF-8 is
/// passed through. Throws trouvere::Error if ICU cannot provide its normalization data.
[[nodiscard]] std::string case_fold(std::string_view text);

/// `text` without its accents: decomposed (NFD), nonspacing marks (Mn) dropped, recomposed
/// (NFC), so `é` and `e` followed by U+0301 both give `e`. Throws as case_fold.
[[nodiscard]] std::string strip_accents(std::string_view text);

/// strip_accents(case_fold(text)): `À LIRE` → `a lire`, `Œuvre` → `oeuvre`.
[[nodiscard]] std::string fold(std::string_view text);

}  // namespace trouvere::text
