#include <xapian.h>

#include <catch2/catch.hpp>
#include <string>

#include "core/term_scheme.h"
#include "tests/test_support.h"
#include "trouvere/index_writer.h"

namespace scheme = trouvere::scheme;

TEST_CASE("ids and paths up to the kept length are stored as they are", "[index]") {
    const std::string id(scheme::kKeptTextBytes, 'a');
    CHECK(scheme::id_term("a1") == "Qa1");
    CHECK(scheme::id_term(id) == "Q" + id);
    CHECK(scheme::source_key("/corpus/a.txt") == "source:/corpus/a.txt");
}

TEST_CASE("longer ids and paths keep their start and a hash of the whole, within Xapian's bound",
          "[index]") {
    const std::string start(scheme::kKeptTextBytes, 'x');
    const std::string one = start + "/one.txt";
    const std::string two = start + "/two.txt";
    for (const auto& key_of : {scheme::id_term, scheme::source_key}) {
        const std::string key = key_of(one);
        CHECK(key_of(one) == key);
        CHECK(key_of(two) != key);
        CHECK(key.find(start + "#" + scheme::hex_hash(one)) != std::string::npos);
        // Xapian's limit on terms and metadata keys.
        CHECK(key.size() <= 245);
    }
}

TEST_CASE("the terms the scheme says have positions are those indexed with positions", "[index]") {
    trouvere::testing::TempDir dir;
    const std::string db = (dir.path() / "db").string();
    {
        trouvere::IndexWriter writer(db, 1);
        writer.add_or_replace({.id = "Q-élève",
                               .title = "L'élève et l'Église",
                               .body = "Quatre élèves accordèrent les Aînés à l'église."});
        writer.commit();
    }
    Xapian::Database database(db);
    std::size_t with_positions = 0;
    std::size_t without = 0;
    for (auto term = database.termlist_begin(1); term != database.termlist_end(1); ++term) {
        INFO("term " << *term);
        const bool positional = term.positionlist_count() > 0;
        CHECK(scheme::has_positions(*term) == positional);
        ++(positional ? with_positions : without);
    }
    // Id terms and accented stems on one side, folded stems and title words on the other.
    CHECK(with_positions > 0);
    CHECK(without > 1);
}
