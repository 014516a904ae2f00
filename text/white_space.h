// The kinds of space, each defined once:
// - white space: what separates words, Unicode's White_Space property (ASCII's six, U+0085, the
//   no-break and typographic spaces, the line and paragraph separators, the ideographic space).
//   Text is trimmed of it, and the query parser splits on it.
// - ASCII white space: the six bytes " \t\n\v\f\r", C's isspace in the "C" locale. The markup of
//   the formats read (HTML tags, Markdown, JSON Lines) is laid out with these, and they are the
//   quick test that lets the segmenter and the snippet code skip decoding.
// - space separators: the white space that separates words on one line (general category Zs:
//   the space, the no-break spaces, the typographic spaces), unlike tabs and line breaks. A
//   French text puts them where it means them, before `:` and inside « guillemets ».
// - spaces inside a number: what French typography writes between groups of thousands
//   (`25 000`): the space, the no-break space, the narrow no-break space and the thin space.
#pragma once

#include <unicode/uchar.h>
#include <unicode/umachine.h>

#include <string>
#include <string_view>

namespace trouvere::text {

/// Whether `byte` is one of ASCII's white space characters: space, tab, line feed, vertical tab,
/// form feed, carriage return.
[[nodiscard]] constexpr bool is_ascii_white_space(char byte) {
    return byte == ' ' || (byte >= '\t' && byte <= '\r');
}

/// Whether `c` has Unicode's White_Space property, as u_isUWhiteSpace() says (a negative `c`, an
/// ill-formed UTF-8 sequence, has not). Below U+1680, which covers every Latin letter and accent,
/// the only white space beyond ASCII's is U+0085 and the no-break space, so a French text's
/// characters are answered without ICU's property tables.
[[nodiscard]] inline bool is_white_space(UChar32 c) {
    if (c < 0x1680) return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
    return u_isUWhiteSpace(c) != 0;
}

/// Whether `c` is a space separator (general category Zs): white space that is neither a tab nor
/// a line or paragraph break.
[[nodiscard]] inline bool is_space_separator(UChar32 c) {
    if (c < 0x1680) return c == ' ' || c == 0xA0;
    return u_charType(c) == U_SPACE_SEPARATOR;
}

/// Whether `c` may stand between two groups of digits of one number: U+0020, U+00A0, U+202F or
/// U+2009. Other white space (a tab, a line break, an em space) ends the number.
[[nodiscard]] constexpr bool is_space_inside_number(UChar32 c) {
    return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009;
}

/// Byte length of the white space character starting at `offset` (< text.size()), or 0 when
/// none starts there.
[[nodiscard]] std::size_t white_space_length(std::string_view text, std::size_t offset);

/// `text` without white space at either end. Ill-formed UTF-8 is not white space.
[[nodiscard]] std::string_view trim_white_space(std::string_view text);

/// `text` without ASCII white space at either end.
[[nodiscard]] std::string_view trim_ascii_white_space(std::string_view text);

/// One line of a document's text as a reader keeps it: trimmed of white space, with each run of
/// ASCII white space inside it (the layout of the file: indentation, wrapped lines, tabs) made
/// one space. Other white space inside the text is kept as written: French typography puts
/// no-break spaces before `:` and inside « guillemets », and they belong to the text.
[[nodiscard]] std::string collapse_layout_white_space(std::string_view text);

}  // namespace trouvere::text
