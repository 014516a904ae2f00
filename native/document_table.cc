#include "native/document_table.h"

namespace trouvere::native {

Buffer encode_document_table(std::span<const std::uint32_t> lengths) {
    Buffer out;
    out.reserve(4 * lengths.size());
    for (std::uint32_t length : lengths) append<std::uint32_t>(out, length);
    return out;
}

std::optional<DocumentTable> DocumentTable::open(Bytes bytes, const CollectionStats& stats) {
    if (bytes.size() != 4 * std::size_t{stats.last_docid}) return std::nullopt;
    DocumentTable table;
    table.bytes_ = bytes;
    table.last_docid_ = stats.last_docid;
    std::uint64_t documents = 0;
    std::uint64_t total = 0;
    for (std::uint32_t docid = 1; docid <= stats.last_docid; ++docid) {
        const std::uint32_t length = table.length(docid);
        if (length == kNoDocument) continue;
        ++documents;
        total += length;
    }
    if (documents != stats.document_count || total != stats.total_length) return std::nullopt;
    return table;
}

std::uint32_t DocumentTable::next_document(std::uint32_t docid) const {
    for (std::uint32_t candidate = docid < 1 ? 1 : docid; candidate <= last_docid_; ++candidate) {
        if (length(candidate) != kNoDocument) return candidate;
    }
    return UINT32_MAX;
}

}  // namespace trouvere::native
