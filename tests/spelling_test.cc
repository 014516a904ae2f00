#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "native/spelling_dictionary.h"
#include "text/utf8.h"

namespace {

using trouvere::native::Buffer;
using trouvere::native::SpellingDictionary;
using trouvere::native::SpellingEntry;
using trouvere::native::Suggestion;

// What a suggestion is compared by, in one printable value.
std::string described(const std::optional<Suggestion>& suggestion) {
    if (!suggestion) return "none";
    return suggestion->folded + " (" + suggestion->display + ") at " +
           std::to_string(suggestion->distance) + ", frequency " +
           std::to_string(suggestion->frequency);
}

SpellingDictionary dictionary_of(const std::vector<std::pair<std::string, std::uint32_t>>& words) {
    std::vector<SpellingEntry> entries;
    entries.reserve(words.size());
    for (const auto& [folded, frequency] : words) entries.push_back({folded, frequency, ""});
    return SpellingDictionary(std::move(entries));
}

struct Case {
    std::string_view query;
    std::string_view expected;
};

void check_cases(const SpellingDictionary& dictionary, const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        INFO(c.query);
        CHECK(described(dictionary.suggest(c.query)) == c.expected);
    }
}

std::vector<UChar32> code_points_of(std::string_view text) {
    std::vector<UChar32> code_points;
    for (std::size_t offset = 0; offset < text.size();) {
        code_points.push_back(trouvere::text::decode_at(text, offset, offset));
    }
    return code_points;
}

// A word of the scan, with its code points decoded once.
struct ScannedWord {
    std::string folded;
    std::vector<UChar32> code_points;
    std::uint32_t frequency;
};

// The textbook optimal string alignment distance, over the whole table.
int osa_distance(const std::vector<UChar32>& a, const std::vector<UChar32>& b) {
    const std::size_t width = b.size() + 1;
    std::vector<int> d((a.size() + 1) * width);
    auto at = [&](std::size_t i, std::size_t j) -> int& { return d[i * width + j]; };
    for (std::size_t i = 0; i <= a.size(); ++i) at(i, 0) = static_cast<int>(i);
    for (std::size_t j = 0; j <= b.size(); ++j) at(0, j) = static_cast<int>(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1,
                                 at(i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(a.size(), b.size());
}

// suggest() by its definition: every word compared with the query.
std::optional<Suggestion> suggest_by_scan(const std::vector<ScannedWord>& words,
                                          std::string_view query, std::uint32_t min_frequency) {
    const std::vector<UChar32> code_points = code_points_of(query);
    const bool held =
        std::ranges::any_of(words, [&](const ScannedWord& word) { return word.folded == query; });
    if (code_points.size() < 3 || held) return std::nullopt;
    const int allowed = code_points.size() <= 4 ? 1 : 2;
    std::optional<Suggestion> best;
    for (const ScannedWord& word : words) {
        const int distance = osa_distance(code_points, word.code_points);
        if (distance > allowed || word.frequency < min_frequency) continue;
        if (!best || std::tie(distance, best->frequency, word.folded) <
                         std::tie(best->distance, word.frequency, best->folded)) {
            best = Suggestion{word.folded, word.folded, distance, word.frequency};
        }
    }
    return best;
}

}  // namespace

TEST_CASE("the dictionary holds exactly the folded words it was given", "[search][spelling]") {
    const SpellingDictionary dictionary =
        dictionary_of({{"maison", 3}, {"ecole", 2}, {"securite", 1}, {"", 1}});
    CHECK(dictionary.size() == 4);
    CHECK(dictionary.contains("maison"));
    CHECK(dictionary.contains("ecole"));
    CHECK(dictionary.contains("securite"));
    CHECK(dictionary.contains(""));
    CHECK_FALSE(dictionary.contains("mais"));
    CHECK_FALSE(dictionary.contains("maisons"));
    CHECK_FALSE(dictionary.contains("école"));
    CHECK_FALSE(dictionary.contains("zebre"));
}

TEST_CASE("each kind of edit costs one, a transposition included, and two edits cost two",
          "[search][spelling]") {
    const SpellingDictionary dictionary =
        dictionary_of({{"chateau", 5}, {"gateaux", 2}, {"bateau", 1}, {"chapeau", 1}});
    check_cases(dictionary, {
                                {"chatteau", "chateau (chateau) at 1, frequency 5"},  // inserted
                                {"chteau", "chateau (chateau) at 1, frequency 5"},    // deleted
                                {"chateou", "chateau (chateau) at 1, frequency 5"},   // substituted
                                {"chaetau", "chateau (chateau) at 1, frequency 5"},   // transposed
                                {"cahtaeu", "chateau (chateau) at 2, frequency 5"},   // two swaps
                                {"gatteaxu", "gateaux (gateaux) at 2, frequency 2"},
                                {"bbaeau", "bateau (bateau) at 2, frequency 1"},
                                {"xhxtexu", "none"},  // three edits from chateau
                            });
}

TEST_CASE("two edits are found wherever they are: in either half, or across the middle",
          "[search][spelling]") {
    // The walks split queries after their first ceil(n / 2) code points: after 4 of 8 here.
    const SpellingDictionary dictionary =
        dictionary_of({{"ministre", 3}, {"ménagère", 2}, {"mistral", 1}});
    check_cases(dictionary,
                {
                    {"xinistrx", "ministre (ministre) at 2, frequency 3"},  // one edit each half
                    {"xyniste", "none"},                                    // three edits
                    {"mxnxstre", "ministre (ministre) at 2, frequency 3"},  // two in the first
                    {"nimistre", "ministre (ministre) at 2, frequency 3"},  // m and n exchanged
                    {"ministxx", "ministre (ministre) at 2, frequency 3"},  // two in the second
                    {"minisetr", "ministre (ministre) at 2, frequency 3"},  // e moved, second
                    {"xinsitre", "ministre (ministre) at 2, frequency 3"},  // swapped at the middle
                    {"minsitrx", "ministre (ministre) at 2, frequency 3"},  // likewise, after
                    {"xxministre", "ministre (ministre) at 2, frequency 3"},  // inserted first
                    {"ministrexx", "ministre (ministre) at 2, frequency 3"},  // inserted last
                    {"nistre", "ministre (ministre) at 2, frequency 3"},      // dropped first
                    {"minist", "ministre (ministre) at 2, frequency 3"},      // dropped last
                    {"mnéagèer", "ménagère (ménagère) at 2, frequency 2"},    // a swap in each half
                    {"xéxagère", "ménagère (ménagère) at 2, frequency 2"},
                    {"ménagxxe", "ménagère (ménagère) at 2, frequency 2"},
                    {"mitsrla", "mistral (mistral) at 2, frequency 1"},  // 7 code points: 4 and 3
                });
}

TEST_CASE("the closest word wins, then the most frequent, then the bytewise smallest",
          "[search][spelling]") {
    SECTION("a closer rare word wins over a farther frequent one") {
        check_cases(dictionary_of({{"manche", 100}, {"marche", 1}}),
                    {{"marchee", "marche (marche) at 1, frequency 1"}});
    }
    SECTION("at the same distance the more frequent word wins, in any order of entries") {
        check_cases(dictionary_of({{"porte", 10}, {"perte", 50}}),
                    {{"parte", "perte (perte) at 1, frequency 50"}});
        check_cases(dictionary_of({{"perte", 10}, {"porte", 50}}),
                    {{"parte", "porte (porte) at 1, frequency 50"}});
    }
    SECTION("at the same distance and frequency the bytewise smallest wins") {
        check_cases(dictionary_of({{"porte", 10}, {"perte", 10}, {"parts", 10}}),
                    {{"parte", "parts (parts) at 1, frequency 10"}});
        check_cases(dictionary_of({{"porte", 10}, {"perte", 10}}),
                    {{"parte", "perte (perte) at 1, frequency 10"}});
    }
}

TEST_CASE("a suggestion shows the word with its accents", "[search][spelling]") {
    const SpellingDictionary dictionary(
        {{"securite", 40, "sécurité"}, {"secure", 2, ""}, {"ecole", 9, "école"}});
    check_cases(dictionary, {
                                {"securte", "securite (sécurité) at 1, frequency 40"},
                                {"ecol", "ecole (école) at 1, frequency 9"},
                                {"secue", "secure (secure) at 1, frequency 2"},
                            });
}

TEST_CASE("a word the dictionary holds gets no suggestion, however rare", "[search][spelling]") {
    const SpellingDictionary dictionary = dictionary_of({{"porte", 1}, {"perte", 50}});
    CHECK_FALSE(dictionary.suggest("porte").has_value());
    CHECK_FALSE(dictionary.suggest("porte", 2).has_value());
    CHECK_FALSE(dictionary.suggest("perte").has_value());
}

TEST_CASE("candidates rarer than the minimum frequency are passed over", "[search][spelling]") {
    const SpellingDictionary dictionary =
        dictionary_of({{"partir", 0}, {"parti", 2}, {"porte", 3}});
    CHECK(described(dictionary.suggest("partie")) == "parti (parti) at 1, frequency 2");
    CHECK(described(dictionary.suggest("partie", 3)) == "porte (porte) at 2, frequency 3");
    CHECK(described(dictionary.suggest("partie", 4)) == "none");
    CHECK(described(dictionary.suggest("partirs")) == "parti (parti) at 2, frequency 2");
    CHECK(described(dictionary.suggest("partirs", 0)) == "partir (partir) at 1, frequency 0");
}

TEST_CASE("short words: none below 3 code points, one edit up to 4, two beyond",
          "[search][spelling]") {
    const SpellingDictionary dictionary =
        dictionary_of({{"les", 90}, {"a", 50}, {"chat", 5}, {"chien", 5}, {"chiens", 5}});
    check_cases(dictionary, {
                                {"", "none"},
                                {"b", "none"},
                                {"le", "none"},  // one edit from les
                                {"ls", "none"},
                                {"cht", "chat (chat) at 1, frequency 5"},
                                {"cha", "chat (chat) at 1, frequency 5"},
                                {"chen", "chien (chien) at 1, frequency 5"},
                                {"cxen", "none"},  // two edits from chien
                                {"chx", "none"},   // two edits from chat
                                {"cxaen", "chien (chien) at 2, frequency 5"},
                                {"chiensxx", "chiens (chiens) at 2, frequency 5"},
                                {"chiensxxx", "none"},
                            });
}

TEST_CASE("a letter outside ASCII is one code point, whatever its bytes", "[search][spelling]") {
    const SpellingDictionary dictionary = dictionary_of({{"brød", 3}, {"ørsted", 2}, {"øl", 1}});
    check_cases(dictionary, {
                                {"brod", "brød (brød) at 1, frequency 3"},
                                {"bød", "brød (brød) at 1, frequency 3"},
                                {"rørsted", "ørsted (ørsted) at 1, frequency 2"},
                                {"røsted", "ørsted (ørsted) at 1, frequency 2"},
                                {"ørtsed", "ørsted (ørsted) at 1, frequency 2"},
                                {"øx", "none"},  // 2 code points in 3 bytes
                                {"ølx", "øl (øl) at 1, frequency 1"},
                            });
    // 4 code points in 8 bytes allow one edit only.
    CHECK(described(dictionary_of({{"øøøøa", 1}}).suggest("øøøø")) ==
          "øøøøa (øøøøa) at 1, frequency 1");
    CHECK(described(dictionary_of({{"øøøøaa", 1}}).suggest("øøøø")) == "none");
    CHECK(described(dictionary_of({{"straße", 1}}).suggest("strase")) ==
          "straße (straße) at 1, frequency 1");
}

TEST_CASE("words that share more than 255 bytes are compared in full", "[search][spelling]") {
    const std::string stem(300, 'a');
    const SpellingDictionary dictionary =
        dictionary_of({{stem + "bcdef", 2}, {stem + "bcxyz", 5}, {stem + "bd", 1}});
    CHECK(described(dictionary.suggest(stem + "bcdxf")) ==
          stem + "bcdef (" + stem + "bcdef) at 1, frequency 2");
    CHECK(described(dictionary.suggest(stem + "bcxy")) ==
          stem + "bcxyz (" + stem + "bcxyz) at 1, frequency 5");
    CHECK(described(dictionary.suggest(stem + "bdd")) ==
          stem + "bd (" + stem + "bd) at 1, frequency 1");
    CHECK(described(dictionary.suggest(stem + "xyzzy")) == "none");
}

TEST_CASE("text that is not UTF-8 is neither held nor suggested nor given suggestions",
          "[search][spelling]") {
    const SpellingDictionary dictionary = dictionary_of({{"chat\xFF", 9}, {"chatte", 1}});
    CHECK(dictionary.size() == 1);
    CHECK_FALSE(dictionary.contains("chat\xFF"));
    CHECK(described(dictionary.suggest("chatt")) == "chatte (chatte) at 1, frequency 1");
    CHECK(described(dictionary.suggest("chatt\xFF")) == "none");
}

TEST_CASE("a dictionary's bytes open into the same dictionary", "[search][spelling][native]") {
    const SpellingDictionary built(
        {{"chat", 3, ""}, {"chien", 2, ""}, {"ecole", 5, "école"}, {"securite", 4, "sécurité"}});
    const Buffer bytes(built.bytes().begin(), built.bytes().end());
    std::string why;
    const auto opened = SpellingDictionary::open(bytes, nullptr, why);
    REQUIRE(opened);
    CHECK(why.empty());
    CHECK(opened->size() == 4);
    CHECK(std::ranges::equal(opened->bytes(), bytes));
    for (const char* query : {"chta", "chiens", "ecol", "securte", "sekurrite", "zzzz", "chat"}) {
        INFO(query);
        CHECK(described(opened->suggest(query)) == described(built.suggest(query)));
    }
    CHECK(described(opened->suggest("securte")) == "securite (sécurité) at 1, frequency 4");
    // Copies share the bytes.
    const SpellingDictionary copy = built;  // NOLINT(performance-unnecessary-copy-initialization)
    CHECK(copy.bytes().data() == built.bytes().data());
    CHECK(described(copy.suggest("ecol")) == "ecole (école) at 1, frequency 5");
}

TEST_CASE("a dictionary's bytes that do not hold are refused with their reason",
          "[search][spelling][native][hostile]") {
    // Three words: 12 bytes of header, five arrays of 3 u32 from 12 on (word ends, frequencies,
    // display ends, reversed word ends, reversed indexes), the 14 bytes of the words from 72,
    // the words reversed from 86 (eloce, neihc, tahc), then the display forms from 100.
    const SpellingDictionary built({{"chat", 3, ""}, {"chien", 2, ""}, {"ecole", 5, "école"}});
    const Buffer sound(built.bytes().begin(), built.bytes().end());
    REQUIRE(sound.size() == 106);
    auto with_u32 = [&](std::size_t at, std::uint32_t value) {
        Buffer bytes = sound;
        trouvere::native::store<std::uint32_t>(bytes, at, value);
        return bytes;
    };
    auto with_byte = [&](std::size_t at, char value) {
        Buffer bytes = sound;
        bytes[at] = static_cast<std::uint8_t>(value);
        return bytes;
    };
    struct Case {
        const char* what;
        Buffer bytes;
        const char* reason;
    };
    Buffer longer = sound;
    longer.push_back('x');
    // chat, chat, necole.
    Buffer same_twice = with_u32(16, 8);
    std::copy_n(sound.begin() + 72, 4, same_twice.begin() + 76);
    const std::vector<Case> cases = {
        {"shorter than its header", Buffer(sound.begin(), sound.begin() + 11), "cut short"},
        {"a byte too many", longer, "do not add up"},
        {"a byte too few", Buffer(sound.begin(), sound.end() - 1), "do not add up"},
        {"one word more than the bytes hold", with_u32(0, 4), "do not add up"},
        {"a word ending past the words", with_u32(12, 100), "do not fit"},
        {"a word ending before the previous one", with_u32(16, 2), "do not fit"},
        {"the last word ending before the words do", with_u32(20, 13), "do not fit"},
        {"words out of order", with_byte(72, 'd'), "out of order"},
        {"the same word twice", same_twice, "out of order"},
        {"a word that is not UTF-8", with_byte(72, '\xFF'), "not UTF-8"},
        {"a display form that is not UTF-8", with_byte(100, '\xFF'), "not UTF-8"},
        {"a display form ending past the forms", with_u32(44, 50), "display forms"},
        {"the display forms ending early", with_u32(44, 3), "display forms"},
        {"reversed words out of order", with_byte(86, 'z'), "out of order"},
        {"a reversed index past the words", with_u32(60, 7), "not its words"},
        {"one word reversed twice", with_u32(60, 1), "not its words"},
        {"a reversed word that is not its word reversed", with_byte(87, 'm'), "not its words"},
    };
    for (const Case& bad : cases) {
        INFO(bad.what);
        std::string why;
        CHECK_FALSE(SpellingDictionary::open(bad.bytes, nullptr, why));
        CHECK_THAT(why, Catch::Contains(bad.reason));
    }
}

TEST_CASE("an empty dictionary holds nothing and suggests nothing", "[search][spelling]") {
    for (const SpellingDictionary& dictionary :
         {SpellingDictionary(), SpellingDictionary(std::vector<SpellingEntry>{})}) {
        CHECK(dictionary.size() == 0);
        CHECK_FALSE(dictionary.contains(""));
        CHECK_FALSE(dictionary.contains("maison"));
        CHECK_FALSE(dictionary.suggest("maison").has_value());
    }
}

TEST_CASE("entries of one folded word are merged: frequencies added, the most frequent form shown",
          "[search][spelling]") {
    SECTION("the most frequent form is kept wherever it comes") {
        const SpellingDictionary dictionary(
            {{"ecole", 2, "ecole"}, {"ecole", 9, "école"}, {"ecole", 1, "École"}});
        CHECK(dictionary.size() == 1);
        CHECK(described(dictionary.suggest("ecolle")) == "ecole (école) at 1, frequency 12");
    }
    SECTION("between equally frequent forms, the bytewise smallest") {
        const SpellingDictionary dictionary(
            {{"ecole", 7, "écolé"}, {"ecole", 5, "école"}, {"ecole", 7, ""}, {"eclat", 1, ""}});
        CHECK(dictionary.size() == 2);
        CHECK(described(dictionary.suggest("ecolle")) == "ecole (ecole) at 1, frequency 19");
    }
    SECTION("frequencies add up to the largest 32-bit count, no further") {
        const SpellingDictionary dictionary(
            {{"ecole", 4'000'000'000, "école"}, {"ecole", 3'000'000'000, ""}});
        CHECK(described(dictionary.suggest("ecolle")) ==
              "ecole (école) at 1, frequency 4294967295");
    }
}

TEST_CASE("suggest agrees with a scan of every word, on random words and queries",
          "[search][spelling]") {
    // A small alphabet, two letters of it outside ASCII, so that random words are often close.
    const std::vector<std::string> letters{"a", "b", "c", "d", "e", "ø", "ß"};
    std::mt19937 random(20261231);
    auto pick = [&](std::size_t count) {
        return std::uniform_int_distribution<std::size_t>(0, count - 1)(random);
    };
    auto random_word = [&] {
        std::string word;
        for (std::size_t length = 1 + pick(9); length > 0; --length) word += letters[pick(7)];
        return word;
    };
    // One to three random edits of a word, in code points.
    auto misspelled = [&](const std::string& word) {
        std::vector<std::string> characters;
        for (UChar32 c : code_points_of(word)) {
            characters.emplace_back();
            trouvere::text::append_utf8(characters.back(), c);
        }
        for (std::size_t edits = 1 + pick(3); edits > 0; --edits) {
            const std::size_t at = pick(characters.size() + 1);
            const auto position = characters.begin() + static_cast<std::ptrdiff_t>(at);
            switch (pick(4)) {
                case 0: characters.insert(position, letters[pick(7)]); break;
                case 1:
                    if (at < characters.size()) characters.erase(position);
                    break;
                case 2:
                    if (at < characters.size()) characters[at] = letters[pick(7)];
                    break;
                default:
                    if (at + 1 < characters.size()) std::swap(characters[at], characters[at + 1]);
            }
        }
        std::string result;
        for (const std::string& c : characters) result += c;
        return result;
    };

    std::vector<SpellingEntry> entries;
    std::map<std::string, std::uint32_t> merged;
    for (int i = 0; i < 3000; ++i) {
        SpellingEntry entry{random_word(), static_cast<std::uint32_t>(pick(6)), ""};
        merged[entry.folded] += entry.frequency;
        entries.push_back(std::move(entry));
    }
    const SpellingDictionary dictionary(entries);
    REQUIRE(dictionary.size() == merged.size());
    std::vector<ScannedWord> scanned;
    scanned.reserve(merged.size());
    for (const auto& [folded, frequency] : merged) {
        scanned.push_back({folded, code_points_of(folded), frequency});
    }

    int suggested = 0;
    for (int i = 0; i < 4000; ++i) {
        const std::string query =
            i % 4 == 0 ? random_word() : misspelled(entries[pick(3000)].folded);
        const auto min_frequency = static_cast<std::uint32_t>(pick(3));
        INFO(query << " at a minimum frequency of " << min_frequency);
        const auto expected = suggest_by_scan(scanned, query, min_frequency);
        REQUIRE(described(dictionary.suggest(query, min_frequency)) == described(expected));
        suggested += expected ? 1 : 0;
    }
    // The queries reach suggestions at both distances, not only "none".
    CHECK(suggested > 1000);
}
