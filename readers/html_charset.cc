#include "readers/html_charset.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "text/folding.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

// Charset labels that browsers read as windows-1252 (WHATWG Encoding Standard): pages labelled
// latin-1 routinely use its extra characters, such as the curly apostrophe.
constexpr std::array<std::string_view, 8> kWindows1252Labels{
    "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp1252", "us-ascii", "ascii"};

}  // namespace

std::string charset_of_content_type(std::string_view content) {
    const std::string folded = text::fold(content);
    const std::size_t at = folded.find("charset=");
    if (at == std::string::npos) return {};
    std::string_view value = std::string_view(folded).substr(at + 8);
    while (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
        value.remove_prefix(1);
    }
    return std::string(value.substr(0, value.find_first_of("\"'; \t")));
}

std::optional<std::string> convert_to_utf8(std::string_view bytes, std::string_view charset) {
    std::string label = text::fold(text::trim_ascii_white_space(charset));
    if (label.empty() || label.starts_with("utf")) return std::nullopt;
    if (std::find(kWindows1252Labels.begin(), kWindows1252Labels.end(), label) !=
        kWindows1252Labels.end()) {
        label = "windows-1252";
    }
    // A single-byte source grows at most threefold in UTF-8; multi-byte ones grow less.
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max() / 3)) {
        return std::nullopt;
    }
    UErrorCode status = U_ZERO_ERROR;
    auto source_length = static_cast<int32_t>(bytes.size());
    int32_t needed =
        ucnv_convert("UTF-8", label.c_str(), nullptr, 0, bytes.data(), source_length, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status)) return std::nullopt;
    std::string converted(static_cast<std::size_t>(needed), '\0');
    status = U_ZERO_ERROR;
    ucnv_convert("UTF-8", label.c_str(), converted.data(), needed, bytes.data(), source_length,
                 &status);
    if (U_FAILURE(status)) return std::nullopt;
    return converted;
}

}  // namespace trouvere::readers
