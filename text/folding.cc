#include "text/folding.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <algorithm>

#include "text/utf8.h"
#include "trouvere/error.h"

namespace trouvere::text {

namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// ICU's normalizers, got when a text first needs them: ASCII never does, and a short query
// would otherwise pay for loading their data.
struct Normalizers {
    const icu::Normalizer2* casefold = nullptr;
    const icu::Normalizer2* decompose = nullptr;
    const icu::Normalizer2* compose = nullptr;
};

const Normalizers& normalizers() {
    static const Normalizers loaded = [] {
        UErrorCode status = U_ZERO_ERROR;
        Normalizers found;
        found.casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
        found.decompose = icu::Normalizer2::getNFDInstance(status);
        found.compose = icu::Normalizer2::getNFCInstance(status);
        if (U_FAILURE(status)) {
            throw Error(std::string("ICU cannot provide French word analysis: ") +
                        u_errorName(status));
        }
        return found;
    }();
    return loaded;
}

std::string normalize(const icu::Normalizer2& normalizer, std::string_view text) {
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    UErrorCode status = U_ZERO_ERROR;
    normalizer.normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
                             sink, nullptr, status);
    return U_SUCCESS(status) ? out : std::string(text);
}

}  // namespace

std::string case_fold(std::string_view text) {
    if (is_ascii(text)) {
        std::string out(text);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        return out;
    }
    const std::string folded = normalize(*normalizers().casefold, text);
    std::string out;
    out.reserve(folded.size());
    for (std::size_t i = 0, next = 0; i < folded.size(); i = next) {
        switch (decode_at(folded, i, next)) {
            case 0x0153: out += "oe"; break;  // œ
            case 0x00E6: out += "ae"; break;  // æ
            case 0x2019:
            case 0x02BC: out += '\''; break;
            default: out.append(folded, i, next - i);
        }
    }
    return out;
}

std::string strip_accents(std::string_view text) {
    if (is_ascii(text)) return std::string(text);
    const Normalizers& loaded = normalizers();
    const std::string decomposed = normalize(*loaded.decompose, text);
    std::string bare;
    bare.reserve(decomposed.size());
    for (std::size_t i = 0, next = 0; i < decomposed.size(); i = next) {
        const UChar32 c = decode_at(decomposed, i, next);
        if (c >= 0 && u_charType(c) == U_NON_SPACING_MARK) continue;
        bare.append(decomposed, i, next - i);
    }
    return normalize(*loaded.compose, bare);
}

std::string fold(std::string_view text) {
    return strip_accents(case_fold(text));
}

}  // namespace trouvere::text
