// Pages that are not UTF-8: the charset they declare, and their text converted from it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trouvere::readers {

/// The charset named by a `<meta http-equiv="Content-Type">` content attribute
/// (`text/html; charset=windows-1252`), folded; empty when it names none.
[[nodiscard]] std::string charset_of_content_type(std::string_view content);

/// `bytes` in `charset` as UTF-8, nullopt if the charset is unknown to ICU, is a UTF (whose
/// bytes were just found invalid) or the text is too large for ICU's 32-bit lengths.
[[nodiscard]] std::optional<std::string> convert_to_utf8(std::string_view bytes,
                                                         std::string_view charset);

}  // namespace trouvere::readers
