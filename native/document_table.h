#pragma once

// The document table: each document's length by docid, for BM25 and for matching everything.

#include <cstdint>
#include <optional>
#include <span>

#include "native/byte_io.h"
#include "native/collection_stats.h"

namespace trouvere::native {

/// The length stored for a docid that no document has.
inline constexpr std::uint32_t kNoDocument = UINT32_MAX;

/// One u32 per docid from 1 to last_docid: the document's length, or kNoDocument.
/// `lengths[k]` is docid k + 1's.
[[nodiscard]] Buffer encode_document_table(std::span<const std::uint32_t> lengths);

class DocumentTable {
public:
    /// nullopt when `bytes` does not hold last_docid entries, or the documents it holds are not
    /// as many as document_count or do not add up to total_length.
    [[nodiscard]] static std::optional<DocumentTable> open(Bytes bytes,
                                                           const CollectionStats& stats);

    /// A document's length; docid must name a document (exists()).
    [[nodiscard]] std::uint32_t length(std::uint32_t docid) const {
        return load<std::uint32_t>(bytes_.data() + 4 * (std::size_t{docid} - 1));
    }
    [[nodiscard]] bool exists(std::uint32_t docid) const {
        return docid >= 1 && docid <= last_docid_ && length(docid) != kNoDocument;
    }
    /// The first document from `docid` on, or UINT32_MAX when there is none.
    [[nodiscard]] std::uint32_t next_document(std::uint32_t docid) const;

private:
    Bytes bytes_;
    std::uint32_t last_docid_ = 0;
};

}  // namespace trouvere::native
