#include "indexer/bulk_build.h"

#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;

using trouvere::indexer::BulkBuild;
using trouvere::testing::TempDir;

namespace {

// Each id of the database with the title of each document that holds it, in docid order: an id
// replaced in another generation than its first must not be there twice.
std::map<std::string, std::vector<std::string>> titles_by_id(const fs::path& db) {
    std::map<std::string, std::vector<std::string>> titles;
    Xapian::Database database(db.string());
    for (auto document = database.postlist_begin(""); document != database.postlist_end("");
         ++document) {
        auto header = database.get_document(*document).get_value(trouvere::scheme::kHeaderSlot);
        trouvere::Document stored = trouvere::stored::decode_header(header);
        titles[stored.id].push_back(stored.title);
    }
    return titles;
}

std::size_t generations_in(const fs::path& scratch) {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(scratch)) count += entry.is_directory() ? 1 : 0;
    return count;
}

}  // namespace

TEST_CASE(
    "a build written in many generations keeps each id's latest version once, and no "
    "removed id",
    "[index]") {
    TempDir dir;
    const fs::path scratch = dir.path() / "scratch";
    const fs::path output = dir.path() / "db";
    constexpr int kDocuments = 600;
    std::map<std::string, std::vector<std::string>> expected;
    {
        // About 17 documents of 35 bytes a generation: over ten generations a shard.
        BulkBuild build(scratch, 2, 600);
        auto add = [&](int i, const std::string& title, const std::string& body) {
            std::string id = "doc" + std::to_string(i);
            build.add_or_replace({.id = id, .title = title, .body = body});
            expected[id] = {title};
        };
        for (int i = 0; i < kDocuments; ++i) {
            add(i, "Ancien " + std::to_string(i), "premier texte numéro " + std::to_string(i));
        }
        // Replaced once, some twice, long after their first generation was closed.
        for (int i = 0; i < kDocuments; i += 7) add(i, "Nouveau " + std::to_string(i), "remplacé");
        for (int i = 0; i < kDocuments; i += 35) add(i, "Encore " + std::to_string(i), "encore");
        // Removed, and some of those given again.
        for (int i = 0; i < kDocuments; i += 11) {
            std::string id = "doc" + std::to_string(i);
            CHECK(build.remove(id));
            expected.erase(id);
        }
        for (int i = 0; i < kDocuments; i += 22) add(i, "Revenu " + std::to_string(i), "revenu");
        // Replaced twice within the generation being written, after being in an older one.
        add(1, "Premier essai", "essai");
        add(1, "Second essai", "essai");
        CHECK_FALSE(build.contains("doc11"));
        CHECK(build.contains("doc22"));
        CHECK(build.document_count() == expected.size());
        build.finish(output);
        CHECK(generations_in(scratch) >= 20);
    }
    CHECK(titles_by_id(output) == expected);
    CHECK_FALSE(fs::exists(scratch));
}

TEST_CASE("every document of a build written in many generations is merged once", "[index]") {
    TempDir dir;
    const fs::path output = dir.path() / "db";
    {
        BulkBuild build(dir.path() / "scratch", 2, 500);
        for (int i = 0; i < 200; ++i) {
            build.add_or_replace({.id = "doc" + std::to_string(i), .title = "Titre", .body = "x"});
        }
        build.finish(output);
    }
    auto titles = titles_by_id(output);
    CHECK(titles.size() == 200);
    for (const auto& [id, copies] : titles) CHECK(copies.size() == 1);
}

TEST_CASE("a document larger than a shard's queue may hold is still indexed", "[index]") {
    // A shard's queue takes documents while it holds less than 8 MiB of text: one larger than
    // that must still go in, or the reader would wait for room that never comes.
    TempDir dir;
    const fs::path output = dir.path() / "db";
    std::string body;
    for (int i = 0; i < 1'000'000; ++i) body += "mot" + std::to_string(i % 10) + " long ";
    REQUIRE(body.size() > std::size_t{8} * 1024 * 1024);
    {
        BulkBuild build(dir.path() / "scratch", 1);
        build.add_or_replace({.id = "grand-1", .title = "Grand", .body = body});
        build.add_or_replace({.id = "grand-2", .title = "Grand", .body = body});
        build.add_or_replace({.id = "petit", .title = "Petit", .body = "court"});
        build.finish(output);
    }
    CHECK(titles_by_id(output) ==
          std::map<std::string, std::vector<std::string>>{
              {"grand-1", {"Grand"}}, {"grand-2", {"Grand"}}, {"petit", {"Petit"}}});
}
