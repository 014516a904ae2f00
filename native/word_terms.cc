#include "native/word_terms.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "native/byte_io.h"
#include "native/checksum.h"

namespace trouvere::native {
namespace {

// Written first, so that a value of another layout is refused as such.
constexpr char kLayout = '1';

void append_stamp(Buffer& out, const Xapian::Database& database) {
    append_varint(out, database.get_doccount());
    append_varint(out, database.get_lastdocid());
    append_varint(out, database.get_total_length());
}

void append_terms(Buffer& out, const Xapian::Database& database, std::string_view prefix) {
    const std::string start(prefix);
    for (auto term = database.allterms_begin(start); term != database.allterms_end(start); ++term) {
        const std::string& text = *term;
        append_varint(out, text.size());
        append_bytes(out, text);
        append_varint(out, term.get_termfreq());
    }
}

}  // namespace

std::string encode_word_terms(const Xapian::Database& database) {
    // The exact-word prefix sorts before the word prefix: together, the terms are in byte order.
    static_assert(scheme::kExactWordPrefix < scheme::kWordPrefix);
    Buffer terms;
    append_terms(terms, database, scheme::kExactWordPrefix);
    append_terms(terms, database, scheme::kWordPrefix);
    Buffer head{static_cast<std::uint8_t>(kLayout)};
    append_stamp(head, database);
    // The compression checks only what it shrinks: the checksum covers short lists too.
    append(head, checksum(terms));
    return std::string(as_text(head)) + stored::compress_body(as_text(terms));
}

std::optional<WordTerms> decode_word_terms(std::string_view value,
                                           const Xapian::Database& database) {
    if (value.empty() || value.front() != kLayout) return std::nullopt;
    Buffer stamp;
    append_stamp(stamp, database);
    value.remove_prefix(1);
    if (!value.starts_with(as_text(stamp))) return std::nullopt;
    value.remove_prefix(stamp.size());
    std::uint64_t expected = 0;
    if (value.size() < sizeof expected) return std::nullopt;
    expected = load<std::uint64_t>(reinterpret_cast<const std::uint8_t*>(value.data()));
    value.remove_prefix(sizeof expected);
    auto text = stored::decompress_body(value);
    if (!text) return std::nullopt;
    WordTerms list{std::move(*text), {}};
    const Bytes bytes(reinterpret_cast<const std::uint8_t*>(list.text.data()), list.text.size());
    if (checksum(bytes) != expected) return std::nullopt;
    ByteReader reader(bytes);
    std::string_view previous;
    while (!reader.at_end()) {
        std::uint64_t length = 0;
        Bytes term_bytes;
        std::uint32_t documents = 0;
        if (!reader.varint(length) || !reader.take(length, term_bytes) ||
            !reader.varint32(documents)) {
            return std::nullopt;
        }
        const std::string_view term = as_text(term_bytes);
        if (!list.terms.empty() && term <= previous) return std::nullopt;
        list.terms.push_back({term, documents});
        previous = term;
    }
    return list;
}

std::vector<IndexedTerm> merged_terms(std::span<const WordTerms> lists) {
    // The next term of each list, the smallest first.
    using Cursor = std::pair<std::size_t, std::size_t>;  // list, term
    const auto after = [&](const Cursor& a, const Cursor& b) {
        return lists[a.first].terms[a.second].term > lists[b.first].terms[b.second].term;
    };
    std::priority_queue<Cursor, std::vector<Cursor>, decltype(after)> next(after);
    for (std::size_t list = 0; list < lists.size(); ++list) {
        if (!lists[list].terms.empty()) next.emplace(list, 0);
    }
    std::vector<IndexedTerm> merged;
    while (!next.empty()) {
        const auto [list, at] = next.top();
        next.pop();
        const IndexedTerm& term = lists[list].terms[at];
        if (!merged.empty() && merged.back().term == term.term) {
            const std::uint64_t sum = std::uint64_t{merged.back().documents} + term.documents;
            merged.back().documents = static_cast<std::uint32_t>(
                std::min<std::uint64_t>(sum, std::numeric_limits<std::uint32_t>::max()));
        } else {
            merged.push_back(term);
        }
        if (at + 1 < lists[list].terms.size()) next.emplace(list, at + 1);
    }
    return merged;
}

}  // namespace trouvere::native
