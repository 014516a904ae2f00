#pragma once

// The document records: what the database stores to show each document as a hit, its header
// (every field but the body) and its full record (the header again and what snippets read),
// copied from their Xapian value slots so that showing a hit costs no B-tree lookup. The bytes
// are opaque here (the builder marks damaged bodies, stored::full_record_to_copy);
// core/stored_document.h gives them their meaning. An entry
// table by docid says where each document's two byte ranges lie in the records section; a header
// that its full record holds whole is not stored twice, its range points into the record.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "native/byte_io.h"

namespace trouvere::native {

/// An entry of the record table: record offset u64, header offset u64 (both from the records
/// section), record length u32, header length u32.
inline constexpr std::size_t kRecordEntryBytes = 24;

/// A byte range of the records section.
struct RecordRange {
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
};

/// Builds the record table and the records sections, documents in ascending docid order.
class DocumentRecordsWriter {
public:
    /// Docids from 1 to `last_docid`; those never added have empty ranges.
    explicit DocumentRecordsWriter(std::uint32_t last_docid);

    /// Adds docid `docid`'s header and full record. Docids strictly ascend, each at most
    /// last_docid (else std::logic_error). Throws DatabaseError when either is 4 GiB or more.
    void add(std::uint32_t docid, std::string_view header, std::string_view full_record);

    /// The record table section.
    [[nodiscard]] Buffer& table_bytes() { return table_; }
    /// The records section.
    [[nodiscard]] Buffer& record_bytes() { return records_; }

private:
    Buffer table_;
    Buffer records_;
    std::uint32_t previous_docid_ = 0;
};

/// Reads the record table. Entries are read as they are asked for: checking that their ranges lie
/// in the records section, and the checksums of the bytes read, is the caller's (NativeIndex).
class DocumentRecords {
public:
    /// nullopt when `table` is not one entry per docid from 1 to `last_docid`.
    [[nodiscard]] static std::optional<DocumentRecords> open(Bytes table, std::uint32_t last_docid);

    /// Where docid `docid`'s entry lies in the table; docid from 1 to last_docid.
    [[nodiscard]] static std::size_t entry_offset(std::uint32_t docid) {
        return kRecordEntryBytes * (std::size_t{docid} - 1);
    }
    /// The ranges docid `docid`'s entry gives, unchecked; docid from 1 to last_docid.
    [[nodiscard]] RecordRange full_record(std::uint32_t docid) const;
    [[nodiscard]] RecordRange header(std::uint32_t docid) const;

private:
    Bytes table_;
};

}  // namespace trouvere::native
