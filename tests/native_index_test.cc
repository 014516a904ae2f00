#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/dates.h"
#include "core/term_scheme.h"
#include "native/bit_packing.h"
#include "native/bm25.h"
#include "native/byte_io.h"
#include "native/checksum.h"
#include "native/damaged.h"
#include "native/document_records.h"
#include "native/document_table.h"
#include "native/document_values.h"
#include "native/index_builder.h"
#include "native/index_file.h"
#include "native/native_index.h"
#include "native/positions.h"
#include "tests/native_corpus.h"
#include "tests/native_reseal.h"
#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace {

namespace fs = std::filesystem;
using trouvere::native::Buffer;
using trouvere::native::Bytes;
using trouvere::native::NativeIndex;
using trouvere::native::Refusal;
using trouvere::native::SectionId;
using trouvere::testing::TempDir;

// A database of generated documents with holes in its docids (documents removed and replaced
// after a first build), and its native index.
struct GeneratedDatabase {
    TempDir dir;
    fs::path db = dir.path() / "db";

    explicit GeneratedDatabase(std::size_t documents, unsigned seed = 11) {
        auto generated = trouvere::testing::generated_documents(seed, documents);
        {
            trouvere::IndexWriter writer(db.string(), 2);
            for (const auto& document : generated) writer.add_or_replace(document);
            writer.commit();
        }
        trouvere::IndexWriter writer(db.string(), 1);
        for (std::size_t k = 0; k < generated.size(); k += 7) writer.remove(generated[k].id);
        for (std::size_t k = 3; k < generated.size(); k += 11) {
            generated[k].body += " ajout récent";
            writer.add_or_replace(generated[k]);
        }
        writer.commit();
        REQUIRE(writer.update_native_index());
    }

    [[nodiscard]] fs::path file() const { return db / std::string(trouvere::native::kFileName); }
};

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Where section `id` lies in the file `bytes`, as its section table says.
std::pair<std::size_t, std::size_t> section_at(const std::string& bytes, SectionId id) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    const auto count = trouvere::native::load<std::uint32_t>(data + 12);
    for (std::uint32_t k = 0; k < count; ++k) {
        const std::uint8_t* entry = data + 128 + 24 * std::size_t{k};
        if (trouvere::native::load<std::uint32_t>(entry) == static_cast<std::uint32_t>(id)) {
            return {trouvere::native::load<std::uint64_t>(entry + 8),
                    trouvere::native::load<std::uint64_t>(entry + 16)};
        }
    }
    FAIL("no such section");
    return {};
}

}  // namespace

TEST_CASE("native checksum is XXH64 with seed 0", "[native]") {
    auto of = [](std::string_view text) {
        return trouvere::native::checksum(
            Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    };
    CHECK(of("") == 0xEF46DB3751D8E999ULL);
    CHECK(of("a") == 0xD24EC4F1A98C6E5BULL);
    CHECK(of("abc") == 0x44BC2CF5AD770999ULL);
    CHECK(of("Nobody inspects the spammish repetition") == 0xFBCEA83C8A378BF1ULL);
    std::string long_input;
    for (int round = 0; round < 3; ++round) {
        for (int byte = 0; byte < 256; ++byte) long_input += static_cast<char>(byte);
    }
    CHECK(of(long_input) == 0x8E03C838C596036FULL);
}

TEST_CASE("bit packing gives back every value at every width and length", "[native]") {
    std::mt19937 random(5);
    for (unsigned width = 0; width <= trouvere::native::kMaxBitWidth; ++width) {
        for (std::size_t count : {1, 2, 7, 8, 9, 31, 64, 127, 128}) {
            std::vector<std::uint32_t> values(count);
            const std::uint64_t limit = width == 0 ? 0 : (std::uint64_t{1} << width) - 1;
            for (auto& value : values) {
                value = static_cast<std::uint32_t>(
                    std::uniform_int_distribution<std::uint64_t>(0, limit)(random));
            }
            if (width > 0) values[count / 2] = static_cast<std::uint32_t>(limit);
            REQUIRE(trouvere::native::bit_width_of(values) == width);
            trouvere::native::Buffer packed;
            trouvere::native::pack(values, width, packed);
            REQUIRE(packed.size() == trouvere::native::packed_bytes(count, width));
            std::vector<std::uint32_t> unpacked(count, 12345);
            trouvere::native::unpack(packed, width, unpacked);
            REQUIRE(unpacked == values);
        }
    }
}

TEST_CASE("varint reader refuses cut and overlong varints", "[native]") {
    using trouvere::native::ByteReader;
    const std::uint8_t cut[] = {0x80, 0x80};
    std::uint64_t value = 0;
    ByteReader reader{Bytes(cut)};
    CHECK_FALSE(reader.varint(value));
    CHECK(reader.position() == 0);
    const std::uint8_t overlong[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    ByteReader too_big{Bytes(overlong)};
    CHECK_FALSE(too_big.varint(value));
    const std::uint8_t largest[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    ByteReader fits{Bytes(largest)};
    REQUIRE(fits.varint(value));
    CHECK(value == UINT64_MAX);
    std::uint32_t narrow = 0;
    const std::uint8_t wide[] = {0x80, 0x80, 0x80, 0x80, 0x10};
    ByteReader too_wide{Bytes(wide)};
    CHECK_FALSE(too_wide.varint32(narrow));
}

TEST_CASE(
    "native index holds exactly what Xapian holds: terms, postings, wdfs, positions, lengths, "
    "stored records, days and sources",
    "[native]") {
    GeneratedDatabase database(400);
    auto opened = NativeIndex::open(database.file());
    REQUIRE(opened.index);
    const NativeIndex& index = *opened.index;
    Xapian::Database db(database.db.string());
    CHECK(index.source().uuid == db.get_uuid());
    CHECK(index.source().revision == db.get_revision());
    CHECK(index.stats().document_count == db.get_doccount());
    CHECK(index.stats().last_docid == db.get_lastdocid());
    CHECK(index.stats().total_length == db.get_total_length());
    CHECK(index.stats().has_positions);
    REQUIRE(db.get_doccount() < db.get_lastdocid());  // the removals left holes

    std::uint64_t record_bytes = 0;
    std::size_t dated = 0;
    std::size_t with_source = 0;
    for (Xapian::docid docid = 1; docid <= db.get_lastdocid(); ++docid) {
        bool exists = true;
        Xapian::termcount length = 0;
        try {
            length = db.get_doclength(docid);
        } catch (const Xapian::DocNotFoundError&) {
            exists = false;
        }
        REQUIRE(index.documents().exists(docid) == exists);
        if (!exists) {
            CHECK(index.values().day(docid) == trouvere::dates::kNoDay);
            CHECK(index.values().source(docid) == trouvere::native::kNoSource);
            CHECK_THROWS_AS(index.header(docid), trouvere::DatabaseError);
            CHECK_THROWS_AS(index.full_record(docid), trouvere::DatabaseError);
            continue;
        }
        REQUIRE(index.documents().length(docid) == length);
        const Xapian::Document document = db.get_document(docid);
        const std::string header = document.get_value(trouvere::scheme::kHeaderSlot);
        const std::string full_record = document.get_value(trouvere::scheme::kFullRecordSlot);
        REQUIRE_FALSE(header.empty());
        REQUIRE(index.header(docid) == header);
        REQUIRE(index.full_record(docid) == full_record);
        record_bytes += full_record.size();
        const std::string date = document.get_value(trouvere::scheme::kDateSlot);
        REQUIRE(index.values().day(docid) ==
                (date.empty() ? trouvere::dates::kNoDay : *trouvere::dates::parse_iso_day(date)));
        const std::string source = document.get_value(trouvere::scheme::kSourceSlot);
        const std::uint32_t ordinal = index.values().source(docid);
        REQUIRE((ordinal == trouvere::native::kNoSource) == source.empty());
        if (!source.empty()) REQUIRE(index.values().source_name(ordinal) == source);
        dated += date.empty() ? 0 : 1;
        with_source += source.empty() ? 0 : 1;
    }
    CHECK(dated > 0);
    CHECK(with_source > 0);
    // Each full record holds its header: no header is stored a second time.
    CHECK(index.file().section(SectionId::records).size() == record_bytes);
    CHECK_THROWS_AS(index.header(0), trouvere::DatabaseError);
    CHECK_THROWS_AS(index.header(db.get_lastdocid() + 1), trouvere::DatabaseError);

    std::size_t terms = 0;
    std::vector<std::uint32_t> positions;
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) {
        ++terms;
        auto info = index.find_term(*term);
        REQUIRE(info);
        REQUIRE(info->frequency == term.get_termfreq());
        auto cursor = index.cursor(*info, true);
        for (auto posting = db.postlist_begin(*term); posting != db.postlist_end(*term);
             ++posting) {
            REQUIRE(cursor.doc() == *posting);
            REQUIRE(cursor.wdf() == posting.get_wdf());
            cursor.positions(positions);
            std::vector<std::uint32_t> expected;
            for (auto position = db.positionlist_begin(*posting, *term);
                 position != db.positionlist_end(*posting, *term); ++position) {
                expected.push_back(*position);
            }
            REQUIRE(positions == expected);
            cursor.next();
        }
        REQUIRE(cursor.doc() == trouvere::native::kEndOfList);
        // Absent terms around this one are not found.
        CHECK_FALSE(index.find_term(*term + '\x01'));
    }
    CHECK(terms == index.stats().term_count);
    CHECK_FALSE(index.find_term(""));
    CHECK_FALSE(index.find_term("\xff\xff"));
    CHECK(index.check().empty());
}

TEST_CASE("position lists read back in any order, and lengths that do not hold are refused",
          "[native]") {
    using trouvere::native::BlockPositions;
    std::mt19937 random(11);
    std::vector<std::uint32_t> counts;
    std::vector<std::vector<std::uint32_t>> lists;
    std::vector<std::uint32_t> positions;
    for (int k = 0; k < 300; ++k) {
        // Empty lists, single positions, long lists, and gaps of one to five varint bytes.
        const std::uint32_t count = k % 7 == 0 ? 0 : random() % (k % 5 == 0 ? 400 : 4) + 1;
        std::vector<std::uint32_t> list;
        std::uint32_t position = random() % 3;
        for (std::uint32_t n = 0; n < count; ++n) {
            list.push_back(position);
            const std::uint32_t shift = random() % 29;
            position += 1 + ((random() % 64 == 0) ? (random() >> shift) % 0x0FFFFFFF : 0);
        }
        if (k == 299) list = {0, UINT32_MAX - 1, UINT32_MAX};
        counts.push_back(static_cast<std::uint32_t>(list.size()));
        positions.insert(positions.end(), list.begin(), list.end());
        lists.push_back(std::move(list));
    }
    trouvere::native::Buffer bytes;
    const auto starts = trouvere::native::encode_positions(counts, positions, 128, bytes);
    REQUIRE(starts.size() == 3);
    auto block_of = [&](std::size_t block) {
        const std::size_t end = block + 1 < starts.size() ? starts[block + 1] : bytes.size();
        return trouvere::native::Bytes(bytes).subspan(starts[block], end - starts[block]);
    };
    std::vector<std::uint32_t> out;
    for (std::size_t block = 0; block < starts.size(); ++block) {
        BlockPositions reader(block_of(block));
        const std::size_t size = std::min<std::size_t>(128, lists.size() - 128 * block);
        // Forwards with gaps, then backwards, then every one.
        std::vector<std::size_t> order;
        for (std::size_t k = 0; k < size; k += 3) order.push_back(k);
        for (std::size_t k = size; k-- > 0;) order.push_back(k);
        for (std::size_t k = 0; k < size; ++k) order.push_back(k);
        for (std::size_t index : order) {
            INFO("block " << block << ", posting " << index);
            REQUIRE(reader.read(index, out));
            REQUIRE(out == lists[128 * block + index]);
        }
    }
    // A table past the block, a length past the block, a list cut inside a varint, a position
    // past 32 bits.
    const std::uint8_t table_past_the_block[] = {0x09, 0x01};
    const std::uint8_t past_the_block[] = {0x01, 0x05, 0x01, 0x02};
    const std::uint8_t cut_inside[] = {0x01, 0x02, 0x01, 0x81};
    const std::uint8_t too_far[] = {0x01, 0x06, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
    for (trouvere::native::Bytes damaged :
         {trouvere::native::Bytes(table_past_the_block), trouvere::native::Bytes(past_the_block),
          trouvere::native::Bytes(cut_inside), trouvere::native::Bytes(too_far)}) {
        BlockPositions reader(damaged);
        CHECK_FALSE(reader.read(0, out));
        CHECK_FALSE(reader.read(1, out));
    }
}

TEST_CASE("native postings skip to any docid as walking would reach it, block bounds ahead",
          "[native]") {
    GeneratedDatabase database(600);
    auto index = NativeIndex::open(database.file()).index;
    REQUIRE(index);
    Xapian::Database db(database.db.string());
    const trouvere::native::Bm25 bm25(index->stats());
    std::mt19937 random(3);
    for (const char* term : {"de", "le", "armée", "Sarm", "chevaux"}) {
        auto info = index->find_term(term);
        if (!info) continue;
        std::vector<std::uint32_t> docids;
        for (auto posting = db.postlist_begin(term); posting != db.postlist_end(term); ++posting) {
            docids.push_back(*posting);
        }
        for (int trial = 0; trial < 50; ++trial) {
            auto cursor = index->cursor(*info, false);
            std::uint32_t target = 0;
            while (cursor.doc() != trouvere::native::kEndOfList) {
                target += 1 + std::uniform_int_distribution<std::uint32_t>(0, 300)(random);
                // The skip table, read ahead of the cursor, names the block skip_to lands in,
                // with a bound of the posting it lands on.
                const auto bound = cursor.block_bound(target);
                cursor.skip_to(target);
                auto expected = std::lower_bound(docids.begin(), docids.end(), target);
                REQUIRE(cursor.doc() ==
                        (expected == docids.end() ? trouvere::native::kEndOfList : *expected));
                if (cursor.doc() == trouvere::native::kEndOfList) {
                    REQUIRE(bound.last_docid == trouvere::native::kEndOfList);
                } else {
                    REQUIRE(bound.last_docid >= cursor.doc());
                    REQUIRE(cursor.block_bound(target).last_docid == bound.last_docid);
                    const double tf_part =
                        bm25.tf_part(cursor.wdf(), index->documents().length(cursor.doc()));
                    REQUIRE(static_cast<double>(bound.tf_bound) >= tf_part);
                }
            }
        }
    }
}

TEST_CASE("a missing, foreign or other-version native file is refused with its reason",
          "[native]") {
    TempDir dir;
    auto missing = NativeIndex::open(dir.path() / "trouvere.native");
    CHECK(missing.refusal == Refusal::missing);
    dir.write("trouvere.native", "just some text, not an index at all\n");
    auto foreign = NativeIndex::open(dir.path() / "trouvere.native");
    CHECK(foreign.refusal == Refusal::foreign);
    CHECK(foreign.reason.find("trouvere.native") != std::string::npos);

    GeneratedDatabase database(30);
    std::string bytes = bytes_of(database.file());
    // Version 1, which had no document records, and the next one.
    for (std::uint32_t version : {1U, trouvere::native::kFormatVersion + 1}) {
        bytes[8] = static_cast<char>(version);
        write_bytes(database.file(), bytes);
        auto other_version = NativeIndex::open(database.file());
        CHECK(other_version.refusal == Refusal::foreign);
        CHECK(other_version.reason.find("version " + std::to_string(version)) != std::string::npos);
    }
}

TEST_CASE("every damaged byte of a native index is refused or found, never read past",
          "[native][hostile]") {
    GeneratedDatabase database(25);
    const std::string original = bytes_of(database.file());
    auto sound = NativeIndex::open(database.file());
    REQUIRE(sound.index);
    REQUIRE(sound.index->check().empty());
    // Zero padding between the parts is the only place where a change goes unseen.
    const fs::path damaged = database.dir.path() / "damaged.native";
    std::size_t unseen = 0;
    std::size_t step = std::max<std::size_t>(1, original.size() / 3000);
    for (std::size_t at = 0; at < original.size(); at += step) {
        std::string bytes = original;
        bytes[at] = static_cast<char>(bytes[at] ^ 0x5A);
        write_bytes(damaged, bytes);
        auto opened = NativeIndex::open(damaged);
        if (!opened.index) {
            CHECK(opened.refusal != Refusal::missing);
            continue;
        }
        if (opened.index->check().empty()) {
            ++unseen;
            CHECK(original[at] == '\0');
        }
    }
    INFO("bytes changed without effect: " << unseen);
    for (std::size_t size : {std::size_t{0}, std::size_t{7}, std::size_t{100}, original.size() / 2,
                             original.size() - 1}) {
        write_bytes(damaged, original.substr(0, size));
        CHECK_FALSE(NativeIndex::open(damaged).index);
    }
}

TEST_CASE("documents without stored values, or whose full record lacks the header, read back",
          "[native]") {
    TempDir dir;
    const fs::path db = dir.path() / "db";
    const std::string header = "en-tête";
    {
        Xapian::WritableDatabase writable(db.string(), Xapian::DB_CREATE);
        auto add = [&](Xapian::docid docid, const std::string& stored_header,
                       const std::string& full_record) {
            Xapian::Document document;
            document.add_posting("mot", 1);
            if (!stored_header.empty()) {
                document.add_value(trouvere::scheme::kHeaderSlot, stored_header);
            }
            if (!full_record.empty()) {
                document.add_value(trouvere::scheme::kFullRecordSlot, full_record);
            }
            writable.replace_document(docid, document);
        };
        add(1, header, "\x08" + header + "corps");
        add(2, "", "");                              // no values at all
        add(3, header, "");                          // a header, no full record
        add(4, "", "un enregistrement");             // a full record, no header
        add(6, header, "rien de l'en-tête");         // docid 5 is a hole
        add(7, "corps", "\x08" + header + "corps");  // the header inside, but not at its start
        add(8, header, header.substr(0, 4));         // a record shorter than the header
        writable.commit();
    }
    trouvere::native::build_native_index(db, 1);
    auto opened = NativeIndex::open(db / std::string(trouvere::native::kFileName));
    REQUIRE(opened.index);
    const NativeIndex& index = *opened.index;
    CHECK(index.header(1) == header);
    CHECK(index.full_record(1) == "\x08" + header + "corps");
    CHECK(index.header(2).empty());
    CHECK(index.full_record(2).empty());
    CHECK(index.header(3) == header);
    CHECK(index.full_record(3).empty());
    CHECK(index.header(4).empty());
    CHECK(index.full_record(4) == "un enregistrement");
    CHECK_THROWS_AS(index.header(5), trouvere::DatabaseError);
    CHECK(index.header(6) == header);
    CHECK(index.full_record(6) == "rien de l'en-tête");
    CHECK(index.header(7) == "corps");
    CHECK(index.header(8) == header);
    CHECK(index.full_record(8) == header.substr(0, 4));
    CHECK(index.check().empty());
}

TEST_CASE("a damaged document record is reported when read, and by check()", "[native][hostile]") {
    GeneratedDatabase database(60);
    const std::string original = bytes_of(database.file());
    for (SectionId id : {SectionId::record_table, SectionId::records}) {
        std::string bytes = original;
        const auto [offset, length] = section_at(bytes, id);
        REQUIRE(length > 0);
        // The section's last byte: the last document's entry, or its record (with its header).
        bytes[offset + length - 1] = static_cast<char>(bytes[offset + length - 1] ^ 0x01);
        write_bytes(database.file(), bytes);
        auto opened = NativeIndex::open(database.file());
        // Only what a query reads is checked: opening succeeds, reading the record does not.
        REQUIRE(opened.index);
        const std::uint32_t last = opened.index->stats().last_docid;
        CHECK_THROWS_AS(opened.index->full_record(last), trouvere::native::Damaged);
        CHECK_THROWS_WITH(opened.index->header(last), Catch::Contains("trouvere.native"));
        CHECK_THAT(opened.index->check(), Catch::Contains("checksum"));
    }
}

TEST_CASE("a record range outside its section is reported as damage, never read",
          "[native][hostile]") {
    GeneratedDatabase database(30);
    trouvere::native::SourceState source;
    std::vector<trouvere::native::SectionBytes> sections;
    {
        auto opened = trouvere::native::IndexFile::open(database.file());
        REQUIRE(opened.file);
        source = opened.file->source();
        for (std::uint32_t id = 1; id <= trouvere::native::kSectionCount; ++id) {
            const Bytes bytes = opened.file->section(static_cast<SectionId>(id));
            sections.push_back({static_cast<SectionId>(id), Buffer(bytes.begin(), bytes.end())});
        }
    }
    // Sound checksums over a last entry whose full record starts where the records end.
    Buffer& table = sections[static_cast<std::size_t>(SectionId::record_table) - 1].bytes;
    const auto last =
        static_cast<std::uint32_t>(table.size() / trouvere::native::kRecordEntryBytes);
    trouvere::native::store<std::uint64_t>(
        table, trouvere::native::DocumentRecords::entry_offset(last),
        sections[static_cast<std::size_t>(SectionId::records) - 1].bytes.size());
    trouvere::native::publish_index_file(database.db, source, sections);
    auto opened = NativeIndex::open(database.file());
    REQUIRE(opened.index);
    std::uint32_t sound = last - 1;
    while (!opened.index->documents().exists(sound)) --sound;
    REQUIRE_FALSE(opened.index->full_record(sound).empty());
    CHECK_THROWS_WITH(opened.index->full_record(last), Catch::Contains("outside"));
    CHECK_THAT(opened.index->check(), Catch::Contains("outside"));
}

// Found by the native_index fuzz target: check() reported a damaged position list without
// naming the file, where every other problem names it.
TEST_CASE("check() names the file when lists behind sound checksums do not hold", "[native]") {
    using trouvere::native::SectionId;
    GeneratedDatabase database(200);
    const std::string original = bytes_of(database.file());
    for (SectionId id : {SectionId::positions, SectionId::postings}) {
        INFO("section " << static_cast<int>(id));
        std::string bytes = original;
        const auto [offset, length] = trouvere::testing::native_section(bytes, id);
        REQUIRE(length > 0);
        // Past the first term's skip table and first block, so that the cursor opens.
        std::fill_n(bytes.begin() + static_cast<std::ptrdiff_t>(offset + length / 2), length / 2,
                    static_cast<char>(0xC8));
        trouvere::testing::reseal_native_file(bytes);
        write_bytes(database.file(), bytes);
        auto opened = NativeIndex::open(database.file());
        REQUIRE(opened.index);
        const std::string problem = opened.index->check();
        CHECK_THAT(problem, Catch::StartsWith("native index " + database.file().string()) &&
                                Catch::Contains("damaged"));
    }
}

// Found by the native_index fuzz target: postings naming a document that the database does not
// have, behind sound checksums, made every search fail with "document not found", engine
// automatic included. Here the postings of an older state sit beside the document table and
// statistics of the newer one, under the newer state's stamp, as a writer with a bug could
// leave them: the documents removed since are holes that the postings still name.
TEST_CASE("a native index naming documents its database lacks is damaged, and Xapian answers",
          "[native][search]") {
    using trouvere::native::SectionId;
    GeneratedDatabase database(60);
    std::string bytes = bytes_of(database.file());
    {
        trouvere::IndexWriter writer(database.db.string(), 1);
        const auto generated = trouvere::testing::generated_documents(11, 60);
        for (std::size_t k = 0; k < generated.size(); k += 5) (void)writer.remove(generated[k].id);
        writer.commit();
        REQUIRE(writer.update_native_index());
    }
    const std::string newer = bytes_of(database.file());
    for (SectionId id : {SectionId::stats, SectionId::documents, SectionId::values}) {
        const auto [offset, length] = trouvere::testing::native_section(bytes, id);
        const auto [newer_offset, newer_length] = trouvere::testing::native_section(newer, id);
        REQUIRE(length == newer_length);
        bytes.replace(offset, length, newer, newer_offset, newer_length);
    }
    const Xapian::Database current(database.db.string());
    trouvere::testing::stamp_native_source(bytes, {current.get_uuid(), current.get_revision()});
    trouvere::testing::reseal_native_file(bytes);
    write_bytes(database.file(), bytes);

    trouvere::Searcher searcher(database.db.string());
    const std::string query = "armée OR accord OR village OR rivière OR école OR été";
    trouvere::SearchOptions options{.limit = 1000, .snippets = false};
    options.engine = trouvere::SearchEngine::native;
    CHECK_THROWS_WITH(searcher.search(query, options), Catch::Contains(database.file().string()) &&
                                                           Catch::Contains("names document"));
    options.engine = trouvere::SearchEngine::xapian;
    const auto expected = searcher.search(query, options);
    REQUIRE_FALSE(expected.hits.empty());
    options.engine = trouvere::SearchEngine::automatic;
    const auto answer = searcher.search(query, options);
    CHECK(answer.engine == "xapian");
    REQUIRE(answer.warnings.size() == 1);
    CHECK_THAT(answer.warnings[0], Catch::Contains(database.file().string()));
    CHECK(answer.hits.size() == expected.hits.size());
    CHECK(answer.total_estimate == expected.total_estimate);
}

namespace {

// A document table of `lengths` (kNoDocument for a docid no document has) and statistics that
// agree with it, for the readers that check against it. Its table views `bytes`: not moved.
struct DocumentsOf {
    trouvere::native::CollectionStats stats;
    Buffer bytes;
    std::optional<trouvere::native::DocumentTable> table;

    explicit DocumentsOf(const std::vector<std::uint32_t>& lengths)
        : bytes(trouvere::native::encode_document_table(lengths)) {
        stats.last_docid = static_cast<std::uint32_t>(lengths.size());
        for (std::uint32_t length : lengths) {
            if (length == trouvere::native::kNoDocument) continue;
            ++stats.document_count;
            stats.total_length += length;
        }
        table = trouvere::native::DocumentTable::open(bytes, stats);
        REQUIRE(table);
    }
    ~DocumentsOf() = default;
    DocumentsOf(const DocumentsOf&) = delete;
    DocumentsOf& operator=(const DocumentsOf&) = delete;
    DocumentsOf(DocumentsOf&&) = delete;
    DocumentsOf& operator=(DocumentsOf&&) = delete;

    [[nodiscard]] std::optional<trouvere::native::DocumentValues> values(Bytes section,
                                                                         std::string& why) const {
        return trouvere::native::DocumentValues::open(section, *table, stats.last_docid, why);
    }
};

// Seven docids, the fourth a hole: days at both ends of the calendar and a 29 February shared by
// two documents, sources that differ only by case.
Buffer seven_documents_values() {
    trouvere::native::DocumentValuesWriter writer(7);
    writer.set_day(1, 20240229);
    writer.set_day(3, 19991231);
    writer.set_day(5, 20240229);
    writer.set_day(6, 10101);
    writer.set_day(7, 99991231);
    writer.set_source(1, "le monde");
    writer.set_source(2, "Le Monde");
    writer.set_source(5, "Libération");
    writer.set_source(6, "le monde");
    writer.set_source(7, "LE MONDE");
    return writer.bytes();
}

const std::vector<std::uint32_t> kSevenLengths = {3, 1, 4, trouvere::native::kNoDocument, 5, 9, 2};

}  // namespace

TEST_CASE("a spelling dictionary that does not hold behind sound checksums is damage",
          "[native][search][spelling][hostile]") {
    GeneratedDatabase database(60);
    std::string bytes = bytes_of(database.file());
    // Its first word is no longer UTF-8.
    const auto [offset, length] = section_at(bytes, SectionId::spelling);
    REQUIRE(length > 100);
    const auto words = trouvere::native::load<std::uint32_t>(
        reinterpret_cast<const std::uint8_t*>(bytes.data() + offset));
    bytes[offset + 12 + 20 * std::size_t{words}] = '\xFF';
    trouvere::testing::reseal_native_file(bytes);
    write_bytes(database.file(), bytes);

    // Opening reads the dictionary only when a query needs it; check() reads it.
    auto opened = NativeIndex::open(database.file());
    REQUIRE(opened.index);
    CHECK_THAT(opened.index->check(), Catch::Contains("spelling dictionary is not UTF-8"));
    CHECK_THROWS_WITH(opened.index->spelling_dictionary(),
                      Catch::Contains(database.file().string()) && Catch::Contains("damaged"));

    trouvere::Searcher searcher(database.db.string());
    trouvere::SearchOptions options{.snippets = false};
    options.engine = trouvere::SearchEngine::native;
    CHECK(searcher.search("accord", options).engine == "native");
    CHECK_THROWS_WITH(searcher.search("accrod", options), Catch::Contains("spelling dictionary"));
    options.engine = trouvere::SearchEngine::automatic;
    const auto answer = searcher.search("accrod", options);
    CHECK(answer.engine == "xapian");
    CHECK(answer.suggestion == "accord");
    REQUIRE(answer.warnings.size() == 1);
    CHECK_THAT(answer.warnings[0], Catch::Contains("spelling dictionary is not UTF-8"));
}

TEST_CASE("document values read back each day and source, the sources numbered in byte order",
          "[native]") {
    using trouvere::native::kNoSource;
    const DocumentsOf documents(kSevenLengths);
    const Buffer bytes = seven_documents_values();
    // Seven days, seven ordinals, four sources and where each ends, then their bytes.
    const std::string names = "LE MONDELe MondeLibérationle monde";
    REQUIRE(bytes.size() == 4 * 7 + 4 * 7 + 4 + 4 * 4 + names.size());
    CHECK(trouvere::native::load<std::uint32_t>(bytes.data()) == 20240229);
    CHECK(trouvere::native::load<std::uint32_t>(bytes.data() + 28) == 4);
    CHECK(trouvere::native::load<std::uint32_t>(bytes.data() + 56) == 4);
    CHECK(trouvere::native::load<std::uint32_t>(bytes.data() + 60) == 8);
    CHECK(trouvere::native::load<std::uint32_t>(bytes.data() + 72) == names.size());
    CHECK(std::string(bytes.end() - static_cast<long>(names.size()), bytes.end()) == names);

    std::string why;
    const auto values = documents.values(bytes, why);
    REQUIRE(values);
    CHECK(why.empty());
    const std::vector<trouvere::dates::DayNumber> days = {20240229, 0,     19991231, 0,
                                                          20240229, 10101, 99991231};
    const std::vector<std::uint32_t> sources = {4, 2, kNoSource, kNoSource, 3, 4, 1};
    for (std::uint32_t docid = 1; docid <= 7; ++docid) {
        INFO("docid " << docid);
        CHECK(values->day(docid) == days[docid - 1]);
        CHECK(values->source(docid) == sources[docid - 1]);
    }
    REQUIRE(values->source_count() == 4);
    CHECK(values->source_name(1) == "LE MONDE");
    CHECK(values->source_name(2) == "Le Monde");
    CHECK(values->source_name(3) == "Libération");
    CHECK(values->source_name(4) == "le monde");
    CHECK(values->first_year() == 1);
    CHECK(values->last_year() == 9999);

    CHECK(values->next_dated(1, 20240101, 20241231) == 1);
    CHECK(values->next_dated(2, 20240101, 20241231) == 5);
    CHECK(values->next_dated(6, 20240101, 20241231) == UINT32_MAX);
    CHECK(values->next_dated(0, 20240229, 20240229) == 1);
    CHECK(values->next_dated(2, 0, 19991231) == 3);
    CHECK(values->count_dated(20240101, 20241231) == 2);
    CHECK(values->count_dated(trouvere::dates::kFirstDay, trouvere::dates::kLastDay) == 5);
    // Undated documents are never in a range, even one that starts at day 0.
    CHECK(values->count_dated(0, trouvere::dates::kLastDay) == 5);
    CHECK(values->count_dated(20250101, 99991230) == 0);
}

TEST_CASE("an index without dates or sources has document values of zeros and no sources",
          "[native]") {
    const DocumentsOf documents({2, trouvere::native::kNoDocument, 3});
    const Buffer bytes = trouvere::native::DocumentValuesWriter(3).bytes();
    CHECK(bytes == Buffer(4 * 3 + 4 * 3 + 4, 0));
    std::string why;
    const auto values = documents.values(bytes, why);
    REQUIRE(values);
    CHECK(values->source_count() == 0);
    CHECK(values->first_year() == 0);
    CHECK(values->last_year() == 0);
    CHECK(values->next_dated(1, trouvere::dates::kFirstDay, trouvere::dates::kLastDay) ==
          UINT32_MAX);
    CHECK(values->count_dated(trouvere::dates::kFirstDay, trouvere::dates::kLastDay) == 0);
}

TEST_CASE("document values find the documents of a range as a scan of every docid does",
          "[native]") {
    std::mt19937 random(23);
    const std::uint32_t last_docid = 2000;
    std::vector<std::uint32_t> lengths(last_docid, 1);
    trouvere::native::DocumentValuesWriter writer(last_docid);
    std::vector<trouvere::dates::DayNumber> days(last_docid + 1, trouvere::dates::kNoDay);
    for (std::uint32_t docid = 1; docid <= last_docid; ++docid) {
        // Holes, undated runs, and days that mostly rise with the docids, as documents indexed
        // as they are published, with some older ones among them.
        if (random() % 10 == 0 || (docid > 600 && docid < 900)) {
            if (random() % 2 == 0) lengths[docid - 1] = trouvere::native::kNoDocument;
            continue;
        }
        const std::uint32_t year = random() % 8 == 0 ? 1990 + random() % 10 : 2000 + docid / 100;
        days[docid] = static_cast<trouvere::dates::DayNumber>(
            std::uint64_t{year} * 10000 + (1 + random() % 12) * 100 + 1 + random() % 28);
        writer.set_day(docid, days[docid]);
    }
    const DocumentsOf documents(lengths);
    const Buffer bytes = writer.bytes();
    std::string why;
    const auto values = documents.values(bytes, why);
    REQUIRE(values);
    CHECK(values->first_year() == 1990);
    CHECK(values->last_year() == 2020);
    for (int trial = 0; trial < 200; ++trial) {
        trouvere::dates::DayNumber first_day = 19900101 + (random() % 30) * 10000;
        trouvere::dates::DayNumber last_day = first_day + (random() % 4) * 10000 + random() % 1200;
        if (trial % 10 == 0) first_day = last_day = days[1 + random() % last_docid];
        INFO(first_day << " to " << last_day);
        std::uint64_t expected_count = 0;
        for (std::uint32_t docid = 1; docid <= last_docid; ++docid) {
            const auto day = days[docid];
            if (day != 0 && day >= first_day && day <= last_day) ++expected_count;
        }
        REQUIRE(values->count_dated(first_day, last_day) == expected_count);
        for (std::uint32_t from = 0; from <= last_docid + 1; from += 1 + random() % 97) {
            std::uint32_t expected = UINT32_MAX;
            for (std::uint32_t docid = std::max<std::uint32_t>(from, 1); docid <= last_docid;
                 ++docid) {
                if (days[docid] != 0 && days[docid] >= first_day && days[docid] <= last_day) {
                    expected = docid;
                    break;
                }
            }
            REQUIRE(values->next_dated(from, first_day, last_day) == expected);
        }
    }
}

TEST_CASE("document values that do not hold are refused with their reason", "[native][hostile]") {
    const DocumentsOf documents(kSevenLengths);
    const Buffer sound = seven_documents_values();
    constexpr std::size_t kOrdinals = 28;
    constexpr std::size_t kCount = 56;
    constexpr std::size_t kEnds = 60;
    auto with_u32 = [&](std::size_t at, std::uint32_t value) {
        Buffer bytes = sound;
        trouvere::native::store<std::uint32_t>(bytes, at, value);
        return bytes;
    };
    struct Case {
        const char* what;
        Buffer bytes;
        const char* reason;
    };
    const std::size_t strings = sound.size() - 35;
    Buffer out_of_order = sound;
    out_of_order[strings] = 'z';  // "zE MONDE" before "Le Monde"
    Buffer twice = sound;
    for (std::size_t at : {1, 4, 5, 6, 7}) twice[strings + 8 + at] = sound[strings + at];
    const std::vector<Case> cases = {
        {"an ordinal past the table", with_u32(kOrdinals, 5), "past its table"},
        {"29 February of a common year", with_u32(0, 20230229), "day does not exist"},
        {"a thirteenth month", with_u32(0, 20241301), "day does not exist"},
        {"day 0 of a month", with_u32(0, 20240100), "day does not exist"},
        {"year 0", with_u32(0, 101), "day does not exist"},
        {"past year 9999", with_u32(0, 100000101), "day does not exist"},
        {"a day for a docid no document has", with_u32(12, 20240101), "a docid no document"},
        {"a source for a docid no document has", with_u32(kOrdinals + 12, 1),
         "a docid no document"},
        {"a source no document has", with_u32(kOrdinals + 4, 1), "names a source no document"},
        {"an empty source", with_u32(kEnds + 4, 8), "empty or past"},
        {"a source ending past the strings", with_u32(kEnds + 4, 1000), "empty or past"},
        {"sources out of byte order", out_of_order, "byte order"},
        {"the same source twice", twice, "not distinct"},
        {"more sources than the section holds", with_u32(kCount, 1000), "cut short"},
        {"strings longer than the section", with_u32(kEnds + 12, 1000), "does not end"},
        {"the table cut by a byte", Buffer(sound.begin(), sound.end() - 1), "does not end"},
        {"the table cut after the ordinals", Buffer(sound.begin(), sound.begin() + kCount),
         "cut short"},
        {"the ordinals cut short", Buffer(sound.begin(), sound.begin() + kOrdinals + 3),
         "cut short"},
        {"a byte too many",
         [&] {
             Buffer longer = sound;
             longer.push_back('x');
             return longer;
         }(),
         "does not end"},
    };
    for (const Case& bad : cases) {
        INFO(bad.what);
        std::string why;
        CHECK_FALSE(documents.values(bad.bytes, why));
        CHECK_THAT(why, Catch::Contains(bad.reason));
    }
}

TEST_CASE("a date that is not a day fails the native build, naming it, and leaves no index",
          "[native]") {
    TempDir dir;
    const fs::path db = dir.path() / "db";
    {
        Xapian::WritableDatabase writable(db.string(), Xapian::DB_CREATE);
        for (const char* date : {"2024-02-29", "2023-02-29"}) {
            Xapian::Document document;
            document.add_posting("mot", 1);
            document.add_value(trouvere::scheme::kDateSlot, date);
            writable.add_document(document);
        }
        writable.commit();
    }
    CHECK_THROWS_WITH(trouvere::native::build_native_index(db, 1),
                      Catch::Contains("document 2") && Catch::Contains("'2023-02-29'"));
    CHECK(NativeIndex::open(db / std::string(trouvere::native::kFileName)).refusal ==
          Refusal::missing);
}
