#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/term_scheme.h"
#include "native/bit_packing.h"
#include "native/bm25.h"
#include "native/byte_io.h"
#include "native/checksum.h"
#include "native/damaged.h"
#include "native/document_records.h"
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
    "stored records",
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
    }
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
    for (SectionId id : {SectionId::stats, SectionId::documents}) {
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
