#include <catch2/catch.hpp>

#include <string>

#include "core/term_scheme.h"

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
