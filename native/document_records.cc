#include "native/document_records.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "trouvere/error.h"

namespace trouvere::native {

namespace {

// A full record begins with its header's length as a varint (stored::encode_full_record): the
// header is looked for at the offsets a varint can end at, and nowhere else, so that a record
// without it costs a few comparisons rather than a search of its body.
constexpr std::size_t kHeaderSearchOffsets = 11;

std::uint32_t length_of(std::string_view bytes, std::uint32_t docid) {
    if (bytes.size() > UINT32_MAX) {
        throw DatabaseError("document " + std::to_string(docid) +
                            " has a stored record too long for a native index");
    }
    return static_cast<std::uint32_t>(bytes.size());
}

std::optional<std::size_t> header_in_record(std::string_view header, std::string_view record) {
    for (std::size_t start = 0;
         start < kHeaderSearchOffsets && start + header.size() <= record.size(); ++start) {
        if (record.substr(start, header.size()) == header) return start;
    }
    return std::nullopt;
}

}  // namespace

DocumentRecordsWriter::DocumentRecordsWriter(std::uint32_t last_docid)
    : table_(kRecordEntryBytes * std::size_t{last_docid}, 0) {}

void DocumentRecordsWriter::add(std::uint32_t docid, std::string_view header,
                                std::string_view full_record) {
    if (docid <= previous_docid_ || docid > table_.size() / kRecordEntryBytes) {
        throw std::logic_error("document records are added once each, in docid order");
    }
    const std::uint32_t record_length = length_of(full_record, docid);
    const std::uint32_t header_length = length_of(header, docid);
    const std::uint64_t record_offset = records_.size();
    append_bytes(records_, full_record);
    std::uint64_t header_offset = records_.size();
    if (const auto start = header_in_record(header, full_record)) {
        header_offset = record_offset + *start;
    } else {
        append_bytes(records_, header);
    }
    const std::size_t at = DocumentRecords::entry_offset(docid);
    store<std::uint64_t>(table_, at, record_offset);
    store<std::uint64_t>(table_, at + 8, header_offset);
    store<std::uint32_t>(table_, at + 16, record_length);
    store<std::uint32_t>(table_, at + 20, header_length);
    previous_docid_ = docid;
}

std::optional<DocumentRecords> DocumentRecords::open(Bytes table, std::uint32_t last_docid) {
    if (table.size() != kRecordEntryBytes * std::size_t{last_docid}) return std::nullopt;
    DocumentRecords records;
    records.table_ = table;
    return records;
}

RecordRange DocumentRecords::full_record(std::uint32_t docid) const {
    const std::uint8_t* entry = table_.data() + entry_offset(docid);
    return {load<std::uint64_t>(entry), load<std::uint32_t>(entry + 16)};
}

RecordRange DocumentRecords::header(std::uint32_t docid) const {
    const std::uint8_t* entry = table_.data() + entry_offset(docid);
    return {load<std::uint64_t>(entry + 8), load<std::uint32_t>(entry + 20)};
}

}  // namespace trouvere::native
