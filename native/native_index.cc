#include "native/native_index.h"

#include <vector>

namespace trouvere::native {

NativeIndex::Opened NativeIndex::open(const std::filesystem::path& path) {
    IndexFile::Opened opened = IndexFile::open(path);
    if (!opened.file) return {nullptr, opened.refusal, std::move(opened.reason)};
    auto refuse = [&](const std::string& why) {
        return Opened{nullptr, Refusal::damaged, "native index " + path.string() + ": " + why};
    };
    std::shared_ptr<NativeIndex> index(new NativeIndex());
    const IndexFile& file = *opened.file;
    // The small sections every query reads are checked whole now; the others as they are read.
    for (SectionId id :
         {SectionId::stats, SectionId::documents, SectionId::term_index, SectionId::values}) {
        if (!file.verify(id, 0, file.section(id).size())) {
            return refuse("a checksum does not match");
        }
    }
    auto stats = decode_stats(file.section(SectionId::stats));
    if (!stats) return refuse("its collection statistics do not hold");
    index->stats_ = *stats;
    auto documents = DocumentTable::open(file.section(SectionId::documents), *stats);
    if (!documents) return refuse("its document table does not match its statistics");
    index->documents_ = *documents;
    index->records_ =
        DocumentRecords::open(file.section(SectionId::record_table), stats->last_docid);
    if (!index->records_) return refuse("its record table does not match its document table");
    std::string why;
    index->values_ =
        DocumentValues::open(file.section(SectionId::values), *documents, stats->last_docid, why);
    if (!index->values_) return refuse(why);
    index->dictionary_ = TermDictionary::open(file.section(SectionId::term_index),
                                              file.section(SectionId::term_blocks), why);
    if (!index->dictionary_) return refuse(why);
    index->file_ = std::move(opened.file);
    Opened result;
    result.index = std::move(index);
    return result;
}

void NativeIndex::fail(const std::string& what) const {
    throw Damaged("native index " + file_->path().string() + " is damaged: " + what);
}

std::optional<TermInfo> NativeIndex::find_term(std::string_view term) const {
    const auto block = dictionary_->block_for(term);
    if (!block) return std::nullopt;
    if (!file_->verify(SectionId::term_blocks, dictionary_->block_offset(*block),
                       dictionary_->block_length(*block))) {
        fail("a checksum of its term dictionary does not match");
    }
    TermInfo info;
    switch (dictionary_->find_in_block(*block, term, info)) {
        case TermDictionary::Lookup::found: return info;
        case TermDictionary::Lookup::absent: return std::nullopt;
        case TermDictionary::Lookup::damaged: break;
    }
    fail("a block of its term dictionary does not hold");
}

SpellingDictionary NativeIndex::spelling_dictionary() const {
    const Bytes section = file_->section(SectionId::spelling);
    if (!file_->verify(SectionId::spelling, 0, section.size())) {
        fail("a checksum of its spelling dictionary does not match");
    }
    std::string why;
    auto dictionary = SpellingDictionary::open(section, shared_from_this(), why);
    if (!dictionary) fail(why);
    return std::move(*dictionary);
}

PostingCursor NativeIndex::cursor(const TermInfo& info, bool with_positions) const {
    Bytes postings;
    Bytes positions;
    if (!checked_range(file_->section(SectionId::postings), info.postings_offset,
                       info.postings_length, postings) ||
        !checked_range(file_->section(SectionId::positions), info.positions_offset,
                       info.positions_length, positions)) {
        fail("a term's lists lie outside their sections");
    }
    if (!file_->verify(SectionId::postings, static_cast<std::size_t>(info.postings_offset),
                       postings.size())) {
        fail("a checksum of its postings does not match");
    }
    if (!with_positions) {
        positions = {};
    } else if (!file_->verify(SectionId::positions, static_cast<std::size_t>(info.positions_offset),
                              positions.size())) {
        fail("a checksum of its positions does not match");
    }
    try {
        return {postings, positions, info.frequency, stats_.last_docid};
    } catch (const Damaged& error) {
        fail(error.what());
    }
}

std::string_view NativeIndex::header(std::uint32_t docid) const {
    return stored(docid, &DocumentRecords::header);
}

std::string_view NativeIndex::full_record(std::uint32_t docid) const {
    return stored(docid, &DocumentRecords::full_record);
}

std::string_view NativeIndex::stored(std::uint32_t docid,
                                     RecordRange (DocumentRecords::*range)(std::uint32_t)
                                         const) const {
    if (!documents_.exists(docid)) {
        throw DatabaseError("native index " + file_->path().string() + " has no document " +
                            std::to_string(docid));
    }
    if (!file_->verify(SectionId::record_table, DocumentRecords::entry_offset(docid),
                       kRecordEntryBytes)) {
        fail("a checksum of its record table does not match");
    }
    const RecordRange where = ((*records_).*range)(docid);
    Bytes bytes;
    if (!checked_range(file_->section(SectionId::records), where.offset, where.length, bytes)) {
        fail("a document's stored record lies outside its section");
    }
    if (!file_->verify(SectionId::records, static_cast<std::size_t>(where.offset), bytes.size())) {
        fail("a checksum of its stored records does not match");
    }
    return as_text(bytes);
}

std::string NativeIndex::check() const {
    for (SectionId id :
         {SectionId::stats, SectionId::documents, SectionId::term_index, SectionId::term_blocks,
          SectionId::postings, SectionId::positions, SectionId::record_table, SectionId::records,
          SectionId::values, SectionId::spelling}) {
        if (!file_->verify(id, 0, file_->section(id).size())) {
            return "native index " + file_->path().string() + ": a checksum does not match";
        }
    }
    try {
        std::uint64_t terms = 0;
        std::vector<std::pair<std::string, TermInfo>> block_terms;
        std::vector<std::uint32_t> positions;
        for (std::size_t block = 0; block < dictionary_->block_count(); ++block) {
            block_terms.clear();
            if (!dictionary_->read_block(block, block_terms)) {
                fail("a block of its term dictionary does not hold");
            }
            for (const auto& [term, info] : block_terms) {
                ++terms;
                std::uint64_t postings = 0;
                for (PostingCursor cursor = this->cursor(info, true); cursor.doc() != kEndOfList;
                     cursor.next()) {
                    ++postings;
                    if (!documents_.exists(cursor.doc())) {
                        fail("term '" + term + "' indexes a document that is not there");
                    }
                    cursor.positions(positions);
                }
                if (postings != info.frequency) {
                    fail("term '" + term + "' has another number of postings than said");
                }
            }
        }
        if (terms != stats_.term_count) fail("it has another number of terms than said");
        for (std::uint32_t docid = 1; docid <= stats_.last_docid; ++docid) {
            if (!documents_.exists(docid)) continue;
            (void)header(docid);
            (void)full_record(docid);
        }
        (void)spelling_dictionary();
    } catch (const Damaged& error) {
        // A cursor moving on or reading positions throws without knowing the file.
        std::string what = error.what();
        if (what.starts_with("native index " + file_->path().string())) return what;
        return "native index " + file_->path().string() + " is damaged: " + what;
    }
    return {};
}

}  // namespace trouvere::native
