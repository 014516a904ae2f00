// The word terms a shard keeps in its metadata for "did you mean" over a cluster: what is kept,
// when it is refused as stale, how shards' lists add up, and that the writer keeps them at every
// last commit of a run on a shard, bulk or not.

#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/term_scheme.h"
#include "native/word_terms.h"
#include "tests/test_support.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"

namespace {

namespace fs = std::filesystem;
using trouvere::native::IndexedTerm;
using trouvere::testing::TempDir;

using TermList = std::vector<std::pair<std::string, std::uint32_t>>;

TermList as_list(const std::vector<IndexedTerm>& terms) {
    TermList list;
    for (const IndexedTerm& term : terms) list.emplace_back(term.term, term.documents);
    return list;
}

// The word and exact-word terms of `database`, read one by one.
TermList word_terms_of(const Xapian::Database& database) {
    TermList list;
    for (const char* prefix : {"E", "W"}) {
        for (auto term = database.allterms_begin(prefix); term != database.allterms_end(prefix);
             ++term) {
            list.emplace_back(*term, term.get_termfreq());
        }
    }
    return list;
}

// A database of documents each holding the terms of one line of `documents`.
Xapian::WritableDatabase database_of(const fs::path& path,
                                     const std::vector<std::vector<std::string>>& documents) {
    Xapian::WritableDatabase database(path.string(), Xapian::DB_CREATE);
    for (const auto& terms : documents) {
        Xapian::Document document;
        for (const std::string& term : terms) document.add_term(term);
        database.add_document(document);
    }
    database.commit();
    return database;
}

}  // namespace

TEST_CASE("a database's word terms are kept with their frequencies, and refused once it changes",
          "[spelling][cluster]") {
    TempDir dir;
    Xapian::WritableDatabase database =
        database_of(dir.path() / "db", {{"Wetat", "Eétat", "Wguerre", "Sguerr", "guerr"},
                                        {"Wetat", "Wetats", "Eétats", "Q2"},
                                        {"Wpaix", "paix"}});
    const std::string kept = trouvere::native::encode_word_terms(database);
    const auto decoded = trouvere::native::decode_word_terms(kept, database);
    REQUIRE(decoded.has_value());
    CHECK(as_list(decoded->terms) == TermList{{"Eétat", 1},
                                              {"Eétats", 1},
                                              {"Wetat", 2},
                                              {"Wetats", 1},
                                              {"Wguerre", 1},
                                              {"Wpaix", 1}});
    CHECK(as_list(decoded->terms) == word_terms_of(database));

    // Damaged: another layout, a cut value, a flipped byte in the compressed terms.
    CHECK_FALSE(trouvere::native::decode_word_terms("", database));
    CHECK_FALSE(trouvere::native::decode_word_terms("2" + kept.substr(1), database));
    CHECK_FALSE(trouvere::native::decode_word_terms(kept.substr(0, kept.size() - 3), database));
    std::string flipped = kept;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x20);
    CHECK_FALSE(trouvere::native::decode_word_terms(flipped, database));

    // Changed by a writer that does not keep them: another document, or one replaced by a
    // longer one, and the stamp no longer matches (one of the same length would go unseen).
    Xapian::Document added;
    added.add_term("Wtraite");
    database.add_document(added);
    database.commit();
    CHECK_FALSE(trouvere::native::decode_word_terms(kept, database));
    const std::string kept_again = trouvere::native::encode_word_terms(database);
    REQUIRE(trouvere::native::decode_word_terms(kept_again, database));
    Xapian::Document longer;
    longer.add_term("Wpaix");
    longer.add_term("Wtraite");
    longer.add_term("paix");
    database.replace_document(3, longer);
    database.commit();
    CHECK_FALSE(trouvere::native::decode_word_terms(kept_again, database));
}

TEST_CASE("the word terms of several shards add up to those of one database holding them all",
          "[spelling][cluster]") {
    TempDir dir;
    const std::vector<std::vector<std::string>> first = {{"Wetat", "Eétat"}, {"Wpaix"}};
    const std::vector<std::vector<std::string>> second = {{"Wetat", "Eétat", "Wguerre"}, {"Wetat"}};
    const std::vector<std::vector<std::string>> third = {};
    std::vector<trouvere::native::WordTerms> lists;
    for (const auto& [name, documents] :
         {std::pair{"first", first}, std::pair{"second", second}, std::pair{"third", third}}) {
        const auto database = database_of(dir.path() / name, documents);
        auto decoded = trouvere::native::decode_word_terms(
            trouvere::native::encode_word_terms(database), database);
        REQUIRE(decoded.has_value());
        lists.push_back(std::move(*decoded));
    }
    std::vector<std::vector<std::string>> all = first;
    all.insert(all.end(), second.begin(), second.end());
    const auto together = database_of(dir.path() / "all", all);
    CHECK(as_list(trouvere::native::merged_terms(lists)) == word_terms_of(together));
    CHECK(as_list(trouvere::native::merged_terms(lists)) ==
          TermList{{"Eétat", 2}, {"Wetat", 3}, {"Wguerre", 1}, {"Wpaix", 1}});
}

TEST_CASE(
    "a shard keeps its word terms at the last commit of a run, bulk or not, and a database that "
    "is no shard keeps none",
    "[spelling][cluster][index]") {
    TempDir dir;
    const fs::path corpus = trouvere::testing::corpus_dir();
    const auto kept_is_current = [](const fs::path& db) {
        const Xapian::Database database(db.string());
        const auto kept = trouvere::native::decode_word_terms(
            database.get_metadata(std::string(trouvere::scheme::kWordTermsKey)), database);
        return kept && as_list(kept->terms) == word_terms_of(database);
    };
    for (const unsigned threads : {1U, 4U}) {
        INFO(threads << " threads (" << (threads > 1 ? "bulk" : "one by one") << ")");
        const fs::path shard = dir.path() / ("shard-" + std::to_string(threads));
        {
            trouvere::IndexWriter writer(shard.string(), threads);
            trouvere::IndexOptions options;
            options.shard = 1;
            options.shards = 2;
            (void)trouvere::index_paths(writer, {corpus.string()}, options);
            writer.commit();
        }
        CHECK(kept_is_current(shard));
        {
            // An incremental run, one document deleted: a commit in the middle of the run leaves
            // the terms to its last commit, when they are current again.
            trouvere::IndexWriter writer(shard.string(), threads);
            const auto ids = trouvere::testing::ids_in(shard);
            REQUIRE_FALSE(ids.empty());
            CHECK(writer.remove(*ids.begin()));
            writer.commit_progress();
            CHECK_FALSE(kept_is_current(shard));
            writer.commit();
        }
        CHECK(kept_is_current(shard));
    }
    const fs::path whole = dir.path() / "whole";
    {
        trouvere::IndexWriter writer(whole.string());
        (void)trouvere::index_paths(writer, {corpus.string()});
        writer.commit();
    }
    CHECK(Xapian::Database(whole.string())
              .get_metadata(std::string(trouvere::scheme::kWordTermsKey))
              .empty());
}
