#include "analysis/french_stemmer.h"

#include <libstemmer.h>

#include <climits>
#include <cstddef>

#include "trouvere/error.h"

namespace trouvere::analysis {

void FrenchStemmer::Delete::operator()(sb_stemmer* stemmer) const noexcept {
    sb_stemmer_delete(stemmer);
}

FrenchStemmer::FrenchStemmer() : stemmer_(sb_stemmer_new("french", "UTF_8")) {
    if (!stemmer_) {
        throw Error(
            "Snowball's French stemmer (libstemmer) cannot be created: out of memory, or "
            "a libstemmer built without French");
    }
}

FrenchStemmer::~FrenchStemmer() = default;

std::string FrenchStemmer::stem(std::string_view word) {
    // libstemmer would copy zero bytes from the view's null pointer.
    if (word.empty()) return {};
    if (word.size() > static_cast<std::size_t>(INT_MAX)) {
        throw Error("a word of over 2 GiB cannot be stemmed");
    }
    const auto* bytes = reinterpret_cast<const sb_symbol*>(word.data());
    // The result points into the stemmer's own buffer, valid until its next call: copied out
    // at once.
    const sb_symbol* stem = sb_stemmer_stem(stemmer_.get(), bytes, static_cast<int>(word.size()));
    if (stem == nullptr) throw Error("out of memory while stemming a word");
    const auto length = static_cast<std::size_t>(sb_stemmer_length(stemmer_.get()));
    return {reinterpret_cast<const char*>(stem), length};
}

}  // namespace trouvere::analysis
