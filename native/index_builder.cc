#include "native/index_builder.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/dates.h"
#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "native/bm25.h"
#include "native/collection_stats.h"
#include "native/document_records.h"
#include "native/document_table.h"
#include "native/document_values.h"
#include "native/native_index.h"
#include "native/positions.h"
#include "native/postings.h"
#include "native/spelling_dictionary.h"
#include "native/term_dictionary.h"
#include "trouvere/error.h"

namespace trouvere::native {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kMaxThreads = 8;
// The terms are cut into this many ranges per thread, taken in turn by whichever thread is free:
// on a machine shared with other work a thread may get less of a core, and one range each would
// leave the others waiting for it.
constexpr unsigned kShardsPerThread = 8;
// Terms in at least this many documents have their position lists read from blocks already in
// memory (warm_position_cursor), the cursor moved on every kWarmEvery postings to follow them;
// for rarer terms, moving the cursor costs more than it saves.
constexpr std::uint32_t kWarmedFrequency = 8;
constexpr std::size_t kWarmEvery = 64;
// A commit by another writer during a build moves the database on; the build then starts again
// from the new state, this many times at most.
constexpr int kBuildAttempts = 3;

// Thrown when a thread's database is not at the state the build started from.
struct StateMoved {};

struct BuiltTerm {
    std::string term;
    TermInfo info;  // offsets into the shard's own buffers
};

// The lists of a contiguous range of terms, read by one thread.
struct Shard {
    std::span<const std::string> range;
    std::span<const std::uint32_t> frequencies;  // of the terms of `range`
    std::vector<BuiltTerm> terms;
    Buffer postings;
    Buffer positions;
};

SourceState state_of(const Xapian::Database& db) {
    return {db.get_uuid(), db.get_revision()};
}

// Xapian 1.4 opens each position list with a B-tree cursor of its own, which reads the blocks on
// its path (two preads) unless the position table's shared cursor holds them. Counting the term's
// positions in a document through a term list moves that shared cursor to that list; the lists
// after it then mostly lie in blocks it holds. It changes nothing that is read, only where the
// blocks come from.
void warm_position_cursor(const Xapian::Database& db, Xapian::docid docid,
                          const std::string& term) {
    auto in_document = db.termlist_begin(docid);
    in_document.skip_to(term);
    if (in_document != db.termlist_end(docid) && *in_document == term) {
        (void)in_document.positionlist_count();
    }
}

// Reading positions costs a B-tree lookup per (term, document), most of a build: the terms the
// term scheme indexes without positions are not asked for them.
void build_shard(const Xapian::Database& db, bool has_positions, const Bm25& bm25,
                 std::span<const std::uint32_t> lengths, Shard& shard) {
    std::vector<Posting> postings;
    std::vector<std::uint32_t> counts;
    std::vector<std::uint32_t> positions;
    std::vector<float> bounds;
    for (std::size_t k = 0; k < shard.range.size(); ++k) {
        const std::string& term = shard.range[k];
        postings.clear();
        counts.clear();
        positions.clear();
        const bool positional = has_positions && scheme::has_positions(term);
        for (auto posting = db.postlist_begin(term); posting != db.postlist_end(term); ++posting) {
            postings.push_back({*posting, posting.get_wdf()});
            if (!positional) continue;
            if (shard.frequencies[k] >= kWarmedFrequency && postings.size() % kWarmEvery == 1) {
                warm_position_cursor(db, *posting, term);
            }
            const std::size_t before = positions.size();
            for (auto position = posting.positionlist_begin();
                 position != posting.positionlist_end(); ++position) {
                positions.push_back(*position);
            }
            counts.push_back(static_cast<std::uint32_t>(positions.size() - before));
        }
        TermInfo info;
        info.frequency = static_cast<std::uint32_t>(postings.size());
        info.positions_offset = shard.positions.size();
        std::vector<std::uint64_t> positions_starts;
        if (!positions.empty()) {
            positions_starts = encode_positions(counts, positions, kBlockSize, shard.positions);
            if (shard.positions.size() - info.positions_offset > UINT32_MAX) {
                throw DatabaseError("term '" + term +
                                    "' has more positions than a native index holds");
            }
        }
        info.positions_length = shard.positions.size() - info.positions_offset;
        bounds.clear();
        for (std::size_t first = 0; first < postings.size(); first += kBlockSize) {
            double bound = 0;
            for (std::size_t k = first; k < std::min(postings.size(), first + kBlockSize); ++k) {
                bound =
                    std::max(bound, bm25.tf_part(postings[k].wdf, lengths[postings[k].docid - 1]));
            }
            bounds.push_back(float_at_least(bound));
        }
        info.postings_offset = shard.postings.size();
        encode_postings(postings, positions_starts, bounds, shard.postings);
        info.postings_length = shard.postings.size() - info.postings_offset;
        if (info.postings_length > UINT32_MAX) {
            throw DatabaseError("term '" + term + "' has more postings than a native index holds");
        }
        shard.terms.push_back({term, info});
    }
}

// Each document's stored header and full record, copied from their value slots: one pass
// through each slot's value stream in docid order, rather than a B-tree lookup per document.
// Each body is checked against its own checksum here, once, so that reading it from the index
// needs only the index's checksums (stored::BodyCheck).
void read_records(const Xapian::Database& db, DocumentRecordsWriter& records) {
    auto header = db.valuestream_begin(scheme::kHeaderSlot);
    auto full_record = db.valuestream_begin(scheme::kFullRecordSlot);
    const Xapian::ValueIterator end = db.valuestream_end(scheme::kHeaderSlot);
    while (header != end || full_record != end) {
        const Xapian::docid docid =
            std::min(header != end ? header.get_docid() : Xapian::docid{UINT32_MAX},
                     full_record != end ? full_record.get_docid() : Xapian::docid{UINT32_MAX});
        const bool has_header = header != end && header.get_docid() == docid;
        const bool has_full_record = full_record != end && full_record.get_docid() == docid;
        records.add(docid, has_header ? *header : std::string(),
                    has_full_record ? stored::full_record_to_copy(*full_record) : std::string());
        if (has_header) ++header;
        if (has_full_record) ++full_record;
    }
}

// Each document's day and source, from their value slots as read_records reads the records.
// IndexWriter stores only days that exist: a date that is not one was written by something else,
// and fails the build rather than leave the document out of every date filter unnoticed.
void read_values(const Xapian::Database& db, const std::string& folder,
                 DocumentValuesWriter& values) {
    for (auto date = db.valuestream_begin(scheme::kDateSlot);
         date != db.valuestream_end(scheme::kDateSlot); ++date) {
        const auto day = dates::parse_iso_day(*date);
        if (!day) {
            throw DatabaseError("database " + folder + ": document " +
                                std::to_string(date.get_docid()) + " has the date '" + *date +
                                "', which is not a day written YYYY-MM-DD");
        }
        values.set_day(date.get_docid(), *day);
    }
    for (auto source = db.valuestream_begin(scheme::kSourceSlot);
         source != db.valuestream_end(scheme::kSourceSlot); ++source) {
        values.set_source(source.get_docid(), *source);
    }
}

// Splits the terms into `count` ranges of about the same number of postings.
std::vector<std::size_t> split_points(std::span<const std::uint32_t> frequencies, unsigned count) {
    std::uint64_t total = 0;
    for (std::uint32_t frequency : frequencies) total += frequency;
    std::vector<std::size_t> points{0};
    std::uint64_t seen = 0;
    for (std::size_t k = 0; k < frequencies.size() && points.size() < count; ++k) {
        seen += frequencies[k];
        if (seen * count >= total * points.size()) points.push_back(k + 1);
    }
    while (points.size() <= count) points.push_back(frequencies.size());
    points.back() = frequencies.size();
    return points;
}

// The terms of `terms` (in byte order, with their `frequencies`) that start with `prefix`.
std::vector<IndexedTerm> terms_under(std::string_view prefix, const std::vector<std::string>& terms,
                                     const std::vector<std::uint32_t>& frequencies) {
    const auto first = std::ranges::lower_bound(terms, prefix);
    std::vector<IndexedTerm> under;
    for (auto term = first; term != terms.end() && term->starts_with(prefix); ++term) {
        under.push_back({*term, frequencies[static_cast<std::size_t>(term - terms.begin())]});
    }
    return under;
}

std::vector<SectionBytes> build_sections(Xapian::Database& db, const std::string& folder,
                                         const SourceState& state, unsigned threads) {
    CollectionStats stats;
    stats.document_count = db.get_doccount();
    stats.last_docid = db.get_lastdocid();
    stats.total_length = db.get_total_length();
    stats.has_positions = db.has_positions();
    if (stats.last_docid == UINT32_MAX) {
        throw DatabaseError("database " + folder + " has more docids than a native index holds");
    }
    std::vector<std::uint32_t> lengths(stats.last_docid, kNoDocument);
    for (auto document = db.postlist_begin(""); document != db.postlist_end(""); ++document) {
        const Xapian::termcount length = document.get_doclength();
        if (length == kNoDocument) {
            throw DatabaseError("database " + folder +
                                " has a document too long for a native index");
        }
        lengths[*document - 1] = length;
    }

    std::vector<std::string> terms;
    std::vector<std::uint32_t> frequencies;
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) {
        terms.push_back(*term);
        frequencies.push_back(term.get_termfreq());
    }
    stats.term_count = terms.size();

    const Bm25 bm25(stats);
    const unsigned thread_count = std::clamp<unsigned>(
        threads != 0 ? threads : std::thread::hardware_concurrency(), 1, kMaxThreads);
    const std::vector<std::size_t> points =
        split_points(frequencies, thread_count * kShardsPerThread);
    std::vector<Shard> shards(points.size() - 1);
    for (std::size_t k = 0; k < shards.size(); ++k) {
        shards[k].range = std::span(terms).subspan(points[k], points[k + 1] - points[k]);
        shards[k].frequencies =
            std::span(frequencies).subspan(points[k], points[k + 1] - points[k]);
    }
    std::atomic<std::size_t> next_shard = 0;
    auto build_shards = [&](const Xapian::Database& reader) {
        for (std::size_t k = next_shard++; k < shards.size(); k = next_shard++) {
            build_shard(reader, stats.has_positions, bm25, lengths, shards[k]);
        }
    };
    // This thread first copies the stored records and values, then reads terms with the others,
    // each thread through a database of its own.
    std::vector<std::exception_ptr> failures(thread_count);
    DocumentRecordsWriter records(stats.last_docid);
    DocumentValuesWriter values(stats.last_docid);
    {
        std::vector<std::jthread> workers;
        for (unsigned k = 1; k < thread_count; ++k) {
            workers.emplace_back([&, k] {
                try {
                    const Xapian::Database reader(folder);
                    if (state_of(reader) != state) throw StateMoved{};
                    build_shards(reader);
                } catch (...) {
                    failures[k] = std::current_exception();
                    next_shard = shards.size();
                }
            });
        }
        try {
            read_records(db, records);
            read_values(db, folder, values);
            build_shards(db);
        } catch (...) {
            failures[0] = std::current_exception();
            next_shard = shards.size();
        }
    }
    for (const std::exception_ptr& failure : failures) {
        if (failure) std::rethrow_exception(failure);
    }

    TermDictionaryWriter dictionary;
    Buffer postings;
    Buffer positions;
    for (Shard& shard : shards) {
        const std::uint64_t postings_base = postings.size();
        const std::uint64_t positions_base = positions.size();
        for (BuiltTerm& built : shard.terms) {
            built.info.postings_offset += postings_base;
            built.info.positions_offset += positions_base;
            dictionary.add(built.term, built.info);
        }
        postings.insert(postings.end(), shard.postings.begin(), shard.postings.end());
        positions.insert(positions.end(), shard.positions.begin(), shard.positions.end());
        shard = Shard();
    }
    const SpellingDictionary spelling =
        dictionary_of_index_words(terms_under(scheme::kWordPrefix, terms, frequencies),
                                  terms_under(scheme::kExactWordPrefix, terms, frequencies));

    std::vector<SectionBytes> sections;
    sections.push_back({SectionId::stats, encode_stats(stats)});
    sections.push_back({SectionId::documents, encode_document_table(lengths)});
    // Beside the document table, the other small section read whole when the file is opened.
    sections.push_back({SectionId::values, values.bytes()});
    sections.push_back({SectionId::term_index, dictionary.index_bytes()});
    sections.push_back({SectionId::term_blocks, dictionary.block_bytes()});
    sections.push_back({SectionId::postings, std::move(postings)});
    sections.push_back({SectionId::positions, std::move(positions)});
    sections.push_back(
        {SectionId::spelling, Buffer(spelling.bytes().begin(), spelling.bytes().end())});
    sections.push_back({SectionId::record_table, std::move(records.table_bytes())});
    sections.push_back({SectionId::records, std::move(records.record_bytes())});
    return sections;
}

SourceState build_from(Xapian::Database& db, const fs::path& folder, unsigned threads) {
    for (int attempt = 1;; ++attempt) {
        try {
            SourceState state = state_of(db);
            publish_index_file(folder, state, build_sections(db, folder.string(), state, threads));
            return state;
        } catch (const StateMoved&) {
            if (attempt == kBuildAttempts) break;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt == kBuildAttempts) break;
        }
        db.reopen();
    }
    throw DatabaseError("database " + folder.string() +
                        " kept changing while its native index was built");
}

template <typename Work>
auto translating_xapian_errors(const fs::path& folder, Work work) -> decltype(work()) {
    try {
        return work();
    } catch (const Xapian::Error& error) {
        throw DatabaseError("database " + folder.string() + ": " + error.get_description());
    }
}

}  // namespace

SourceState build_native_index(const fs::path& folder, unsigned threads) {
    return translating_xapian_errors(folder, [&] {
        Xapian::Database db(folder.string());
        return build_from(db, folder, threads);
    });
}

bool update_native_index(const fs::path& folder, unsigned threads) {
    return translating_xapian_errors(folder, [&] {
        remove_abandoned_index_files(folder);
        Xapian::Database db(folder.string());
        auto opened = NativeIndex::open(folder / kFileName);
        if (opened.index && opened.index->source() == state_of(db)) return false;
        build_from(db, folder, threads);
        return true;
    });
}

}  // namespace trouvere::native
