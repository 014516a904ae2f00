#include <xapian.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/searcher.h"

namespace fs = std::filesystem;
using trouvere::testing::ids_in;
using trouvere::testing::TempDir;

namespace {

trouvere::IndexReport index_once(const fs::path& db, const std::vector<std::string>& paths,
                                 bool prune = false) {
    trouvere::IndexWriter writer(db.string());
    trouvere::IndexOptions options;
    options.prune = prune;
    auto report = trouvere::index_paths(writer, paths, options);
    writer.commit();
    return report;
}

// Makes a later write visibly change the modification time, whatever the file system's clock
// granularity.
void touch_later(const fs::path& file) {
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(2));
}

}  // namespace

TEST_CASE("indexing the bundled corpus keeps file names as ids", "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    auto report = index_once(db, {trouvere::testing::corpus_dir().string()});
    CHECK(report.added == 5);
    CHECK(report.skipped == 0);
    CHECK(ids_in(db) ==
          std::set<std::string>{"000_dbeda49fb9d40084.txt", "001_de41e6a099c3eab1.txt",
                                "002_5f84a0241843eefe.txt", "003_15f8a19bef5d80e8.txt",
                                "004_0bbe2dc6f523829c.txt"});
}

TEST_CASE("ids are paths relative to the folder given, subfolders included", "[index]") {
    TempDir dir;
    dir.write("docs/a.txt", "Titre A\n\nCorps de A.\n");
    dir.write("docs/sub/b.md", "# Titre B\n\nCorps de B.\n");
    dir.write("docs/.hidden/c.txt", "Caché\n");
    dir.write("docs/notes.pdf", "%PDF-1.4");
    auto db = dir.path() / "db";
    auto report = index_once(db, {(dir.path() / "docs").string()});
    CHECK(report.added == 2);
    CHECK(ids_in(db) == std::set<std::string>{"a.txt", "sub/b.md"});
}

TEST_CASE("an unchanged file is skipped, a changed one replaced", "[index]") {
    TempDir dir;
    auto file = dir.write("docs/a.txt", "Titre\n\nLe blé arrive.\n");
    dir.write("docs/b.txt", "Autre\n\nRien à voir.\n");
    auto db = dir.path() / "db";
    auto docs = (dir.path() / "docs").string();
    CHECK(index_once(db, {docs}).added == 2);

    auto again = index_once(db, {docs});
    CHECK(again.added == 0);
    CHECK(again.updated == 0);
    CHECK(again.unchanged == 2);

    dir.write("docs/a.txt", "Titre\n\nLe carburant arrive.\n");
    touch_later(file);
    auto changed = index_once(db, {docs});
    CHECK(changed.updated == 1);
    CHECK(changed.unchanged == 1);
    trouvere::Searcher searcher(db.string());
    CHECK(searcher.search("carburant").hits.size() == 1);
    CHECK(searcher.search("blé").hits.empty());
    CHECK(searcher.document_count() == 2);
}

TEST_CASE("a touched but identical file counts as unchanged", "[index]") {
    TempDir dir;
    auto file = dir.write("docs/a.txt", "Titre\n\nTexte.\n");
    auto db = dir.path() / "db";
    index_once(db, {(dir.path() / "docs").string()});
    touch_later(file);
    auto report = index_once(db, {(dir.path() / "docs").string()});
    CHECK(report.unchanged == 1);
    CHECK(report.updated == 0);
}

TEST_CASE("pruning deletes documents whose files are gone, and only with --prune", "[index]") {
    TempDir dir;
    dir.write("docs/a.txt", "A\n\nTexte a.\n");
    auto gone = dir.write("docs/b.txt", "B\n\nTexte b.\n");
    auto db = dir.path() / "db";
    auto docs = (dir.path() / "docs").string();
    index_once(db, {docs});
    fs::remove(gone);

    CHECK(index_once(db, {docs}).deleted == 0);
    CHECK(ids_in(db).size() == 2);
    CHECK(index_once(db, {docs}, true).deleted == 1);
    CHECK(ids_in(db) == std::set<std::string>{"a.txt"});
}

TEST_CASE("records removed from a changed JSON Lines file are deleted", "[index]") {
    TempDir dir;
    auto file = dir.write("feed.jsonl", R"({"id":"x1","title":"Un","body":"premier texte"})"
                                        "\n"
                                        R"({"id":"x2","title":"Deux","body":"second texte"})"
                                        "\n");
    auto db = dir.path() / "db";
    CHECK(index_once(db, {file.string()}).added == 2);
    dir.write("feed.jsonl", R"({"id":"x2","title":"Deux","body":"second texte revu"})"
                            "\n");
    touch_later(file);
    auto report = index_once(db, {file.string()});
    CHECK(report.updated == 1);
    CHECK(report.deleted == 1);
    CHECK(ids_in(db) == std::set<std::string>{"x2"});
}

TEST_CASE("bad input is skipped with a warning and the run goes on", "[index]") {
    TempDir dir;
    dir.write("docs/good.txt", "Bon\n\nUn texte correct.\n");
    dir.write("docs/latin1.txt", std::string("Arm\xe9"
                                             "e\n\ntexte\n"));
    dir.write("docs/binary.txt", std::string("abc\0def", 7));
    dir.write("docs/empty.txt", "");
    dir.write("docs/feed.jsonl", "{\"id\":\"j1\",\"body\":\"bon\"}\n{not json\n");
    auto db = dir.path() / "db";
    trouvere::IndexWriter writer(db.string());
    auto report = trouvere::index_paths(writer, {(dir.path() / "docs").string()});
    writer.commit();
    CHECK(report.added == 2);
    CHECK(report.skipped >= 4);
    std::set<std::string> warned;
    for (const auto& warning : report.warnings) {
        warned.insert(fs::path(warning.file).filename().string());
        if (fs::path(warning.file).filename() == "feed.jsonl") CHECK(warning.line == 2);
    }
    CHECK(warned == std::set<std::string>{"latin1.txt", "binary.txt", "empty.txt", "feed.jsonl"});
    CHECK(ids_in(db) == std::set<std::string>{"good.txt", "j1"});
}

TEST_CASE("a file that turns bad keeps its last good documents", "[index]") {
    TempDir dir;
    auto file = dir.write("docs/a.txt", "Titre\n\nLe blé arrive.\n");
    auto db = dir.path() / "db";
    index_once(db, {(dir.path() / "docs").string()});
    dir.write("docs/a.txt", std::string("Titre\n\nLe bl\xe9 arrive.\n"));
    touch_later(file);
    auto report = index_once(db, {(dir.path() / "docs").string()});
    CHECK(report.skipped == 1);
    CHECK(ids_in(db) == std::set<std::string>{"a.txt"});
}

TEST_CASE("uncommitted changes are discarded: a run is all or nothing", "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    {
        trouvere::IndexWriter writer(db.string());
        writer.add_or_replace({.id = "kept", .title = "Gardé", .body = "texte"});
        writer.commit();
        writer.add_or_replace({.id = "lost", .title = "Perdu", .body = "texte"});
    }
    CHECK(ids_in(db) == std::set<std::string>{"kept"});
}

TEST_CASE("a second writer on the same database is refused clearly", "[index]") {
    TempDir dir;
    auto db = (dir.path() / "db").string();
    trouvere::IndexWriter first(db);
    try {
        trouvere::IndexWriter second(db, 0, std::chrono::milliseconds(0));
        FAIL("second writer opened");
    } catch (const trouvere::DatabaseError& error) {
        CHECK_THAT(error.what(), Catch::Contains("locked") && Catch::Contains(db));
    }
}

TEST_CASE("documents added through the API can be replaced and removed", "[index]") {
    TempDir dir;
    auto db = (dir.path() / "db").string();
    trouvere::IndexWriter writer(db);
    writer.add_or_replace({.id = "a", .title = "Premier", .body = "texte"});
    writer.add_or_replace({.id = "a", .title = "Remplacé", .body = "texte"});
    writer.add_or_replace({.id = "b", .title = "Second", .body = "texte"});
    CHECK(writer.remove("b"));
    CHECK_FALSE(writer.remove("b"));
    CHECK_THROWS_AS(writer.add_or_replace({.id = "", .title = "x"}), trouvere::DocumentError);
    writer.commit();
    CHECK(writer.document_count() == 1);
    CHECK(writer.contains("a"));
}

TEST_CASE("a very long id still makes a unique document", "[index]") {
    TempDir dir;
    auto db = (dir.path() / "db").string();
    trouvere::IndexWriter writer(db);
    std::string long_a = std::string(400, 'a') + "1";
    std::string long_b = std::string(400, 'a') + "2";
    writer.add_or_replace({.id = long_a, .body = "un"});
    writer.add_or_replace({.id = long_b, .body = "deux"});
    writer.commit();
    CHECK(writer.document_count() == 2);
}

// Found by the analyzer fuzz target: the accented stem of a letter under a long run of combining
// accents passed Xapian's 245-byte term limit, and the whole commit failed.
TEST_CASE("regression: a word with hundreds of combining accents does not fail the commit",
          "[index][fuzz]") {
    TempDir dir;
    auto db = (dir.path() / "db").string();
    std::string word = "e";
    for (int i = 0; i < 150; ++i) word += "\u0301";
    {
        trouvere::IndexWriter writer(db, 1);
        writer.add_or_replace({.id = "accents", .body = "avant " + word + " après"});
        writer.commit();
        CHECK(writer.document_count() == 1);
    }
    trouvere::Searcher searcher(db);
    CHECK(searcher.search("avant").hits.size() == 1);
}

TEST_CASE("indexing a path that does not exist is an error naming it", "[index]") {
    TempDir dir;
    trouvere::IndexWriter writer((dir.path() / "db").string());
    CHECK_THROWS_WITH(trouvere::index_paths(writer, {"/no/such/folder"}),
                      Catch::Contains("/no/such/folder"));
}

TEST_CASE("a warning about a part of a document does not count it as skipped", "[index]") {
    TempDir dir;
    auto file = dir.write("feed.jsonl", R"({"id":"a","body":"texte","date":"hier"})"
                                        "\n");
    trouvere::IndexWriter writer((dir.path() / "db").string());
    auto report = trouvere::index_paths(writer, {file.string()});
    CHECK(report.added == 1);
    CHECK(report.skipped == 0);
    REQUIRE(report.warnings.size() == 1);
    CHECK_FALSE(report.warnings[0].skipped);
}

TEST_CASE("an empty database built on several cores equals one built on one", "[index]") {
    TempDir dir;
    auto build = [&](const std::string& name, unsigned threads) {
        auto db = dir.path() / name;
        trouvere::IndexWriter writer(db.string(), threads);
        auto report = trouvere::index_paths(writer, {trouvere::testing::corpus_dir().string()});
        writer.commit();
        CHECK(report.added == 5);
        return db;
    };
    auto serial = build("serial", 1);
    auto parallel = build("parallel", 3);
    CHECK(ids_in(serial) == ids_in(parallel));
    trouvere::Searcher one(serial.string());
    trouvere::Searcher three(parallel.string());
    for (const char* query : {"Kidal", "accord militaire", "\"coopération militaire\"", "blé"}) {
        INFO("query: " << query);
        auto expected = one.search(query);
        auto actual = three.search(query);
        REQUIRE(actual.hits.size() == expected.hits.size());
        std::set<std::string> expected_ids;
        std::set<std::string> actual_ids;
        for (std::size_t i = 0; i < expected.hits.size(); ++i) {
            expected_ids.insert(expected.hits[i].id);
            actual_ids.insert(actual.hits[i].id);
            CHECK(actual.hits[i].score == Approx(expected.hits[i].score));
        }
        CHECK(actual_ids == expected_ids);
    }
    // The run's file records survive the merge, so the next run is incremental.
    trouvere::IndexWriter again(parallel.string());
    auto report = trouvere::index_paths(again, {trouvere::testing::corpus_dir().string()});
    CHECK(report.unchanged == 5);
}

TEST_CASE("a parallel build replaces and removes ids like a direct one", "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    {
        trouvere::IndexWriter writer(db.string(), 2);
        writer.add_or_replace({.id = "a", .title = "Premier", .body = "texte"});
        writer.add_or_replace({.id = "a", .title = "Remplacé", .body = "texte"});
        writer.add_or_replace({.id = "b", .title = "Second", .body = "texte"});
        CHECK(writer.contains("b"));
        CHECK(writer.remove("b"));
        CHECK_FALSE(writer.remove("b"));
        writer.set_metadata("note", "gardée");
        CHECK(writer.document_count() == 1);
        writer.commit();
        CHECK(writer.document_count() == 1);
        CHECK(writer.metadata("note") == "gardée");
        // After the commit that ends the build, changes go straight to the database.
        writer.add_or_replace({.id = "c", .title = "Troisième", .body = "texte"});
        writer.commit();
    }
    CHECK(ids_in(db) == std::set<std::string>{"a", "c"});
    trouvere::Searcher searcher(db.string());
    auto results = searcher.search("remplacé");
    REQUIRE(results.hits.size() == 1);
    CHECK(results.hits[0].title == "Remplacé");
}

// Shards commit every few hundred documents (BulkBuild's kShardCommitEvery): a replacement or
// removal must still reach a document that its shard committed long before.
TEST_CASE("a parallel build replaces and removes ids its shards committed earlier", "[index]") {
    TempDir dir;
    constexpr int kDocuments = 3'000;
    auto build = [&](const std::string& name, unsigned threads) {
        auto db = dir.path() / name;
        trouvere::IndexWriter writer(db.string(), threads);
        for (int i = 0; i < kDocuments; ++i) {
            writer.add_or_replace({.id = "doc" + std::to_string(i),
                                   .title = "Ancien " + std::to_string(i),
                                   .body = "premier texte numéro " + std::to_string(i)});
        }
        for (int i = 0; i < kDocuments; i += 7) {
            writer.add_or_replace({.id = "doc" + std::to_string(i),
                                   .title = "Nouveau " + std::to_string(i),
                                   .body = "texte remplacé"});
        }
        for (int i = 0; i < kDocuments; i += 11) CHECK(writer.remove("doc" + std::to_string(i)));
        writer.commit();
        return db;
    };
    auto serial = build("serial", 1);
    auto parallel = build("parallel", 2);
    std::set<std::string> expected;
    int replaced = 0;
    for (int i = 0; i < kDocuments; ++i) {
        if (i % 11 == 0) continue;
        expected.insert("doc" + std::to_string(i));
        if (i % 7 == 0) ++replaced;
    }
    CHECK(ids_in(parallel) == expected);
    CHECK(ids_in(serial) == expected);
    trouvere::SearchOptions all;
    all.limit = kDocuments;
    all.snippets = false;
    trouvere::Searcher searcher(parallel.string());
    CHECK(searcher.search("remplacé", all).hits.size() == static_cast<std::size_t>(replaced));
    // The replaced documents' old words are gone with them.
    CHECK(searcher.search("premier", all).hits.size() == expected.size() - replaced);
    CHECK(searcher.search("ancien", all).hits.size() == expected.size() - replaced);
}

TEST_CASE("an abandoned parallel build leaves the database empty and no scratch behind",
          "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    {
        trouvere::IndexWriter writer(db.string(), 2);
        writer.add_or_replace({.id = "lost", .title = "Perdu", .body = "texte"});
    }
    CHECK(ids_in(db).empty());
    std::set<std::string> entries;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        entries.insert(entry.path().filename().string());
    }
    CHECK(entries == std::set<std::string>{"db", "db.lock"});
}

TEST_CASE("scratch folders of a killed parallel build are removed by the next writer", "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    dir.write("db.building-shards/shard-0/junk", "left by a killed run");
    dir.write("db.building-final/merged/junk", "left by a killed run");
    trouvere::IndexWriter writer(db.string(), 2);
    writer.add_or_replace({.id = "a", .title = "Titre", .body = "texte"});
    writer.commit();
    CHECK_FALSE(fs::exists(dir.path() / "db.building-final"));
    CHECK(ids_in(db) == std::set<std::string>{"a"});
}

TEST_CASE("a database of an older layout is rebuilt from the files given", "[index]") {
    TempDir dir;
    auto db = dir.path() / "db";
    {
        Xapian::WritableDatabase old(db.string(), Xapian::DB_CREATE);
        Xapian::Document document;
        document.add_boolean_term("Qstale");
        old.add_document(document);
        old.set_metadata("trouvere:scheme", "1");
        old.commit();
    }
    trouvere::IndexWriter writer(db.string(), 1);
    CHECK(writer.rebuilds_outdated_database());
    writer.add_or_replace({.id = "fresh", .title = "Neuf", .body = "texte"});
    writer.commit();
    CHECK_FALSE(writer.rebuilds_outdated_database());
    CHECK(ids_in(db) == std::set<std::string>{"fresh"});
    CHECK(trouvere::Searcher(db.string()).search("neuf").hits.size() == 1);
}

TEST_CASE("a database trouvere did not write, or a newer one, is refused untouched", "[index]") {
    TempDir dir;
    for (const char* scheme : {"", "999"}) {
        INFO("scheme: '" << scheme << "'");
        auto db = dir.path() / (std::string("db") + scheme);
        {
            Xapian::WritableDatabase other(db.string(), Xapian::DB_CREATE);
            other.add_document(Xapian::Document());
            if (*scheme != '\0') other.set_metadata("trouvere:scheme", scheme);
            other.commit();
        }
        CHECK_THROWS_AS(trouvere::IndexWriter(db.string()), trouvere::DatabaseError);
        CHECK(Xapian::Database(db.string()).get_doccount() == 1);
    }
}
