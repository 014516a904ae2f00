#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "tests/utf8_checks.h"
#include "trouvere/query.h"

using namespace std::string_view_literals;

namespace {

using trouvere::Field;
using trouvere::Occur;
using trouvere::parse_query;
using trouvere::ParsedQuery;
using trouvere::QueryNode;
using trouvere::to_string;
using trouvere::testing::is_valid_utf8;

const std::string kTooDeep = "parentheses nested deeper than 100 levels: inner ones ignored";

struct Case {
    std::string_view input;
    std::string_view tree;
    /// One substring per expected warning; the query must give exactly that many warnings.
    std::vector<std::string_view> warnings;
};

void check(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        INFO("query: [" << std::string(c.input) << "]");
        const ParsedQuery parsed = parse_query(c.input);
        CHECK(to_string(parsed.root) == c.tree);
        std::string all_warnings;
        for (const std::string& warning : parsed.warnings) all_warnings += warning + "; ";
        INFO("warnings: " << all_warnings);
        CHECK(parsed.warnings.size() == c.warnings.size());
        for (std::string_view expected : c.warnings) {
            CHECK(all_warnings.find(expected) != std::string::npos);
        }
    }
}

}  // namespace

TEST_CASE("an empty or blank query is an empty group, without warnings", "[query]") {
    check({
        {"", "(group)", {}},
        {"   ", "(group)", {}},
        {" \t\n\r ", "(group)", {}},
        {"\xC2\xA0\xE2\x80\xAF", "(group)", {}},
    });
}

TEST_CASE("every White_Space character separates words and prefixes, as in the analyser",
          "[query][text]") {
    check({
        {"\u3000\u2028\u0085", "(group)", {}},
        {"Kidal\u3000-Lavrov", R"((group "Kidal" -"Lavrov"))", {}},
        {"Kidal\u205F-Lavrov", R"((group "Kidal" -"Lavrov"))", {}},
        {"title:\u3000Kidal", R"(title:"Kidal")", {}},
        {"\"\u3000coopération militaire\u2029\"", R"((phrase "coopération militaire"))", {}},
        // A zero width space is no White_Space: it stays inside the word.
        {"Kidal\u200B-Lavrov", "\"Kidal\u200B-Lavrov\"", {}},
    });
}

TEST_CASE("juxtaposed words stay one words node with their original spacing: 25 000 tonnes",
          "[query]") {
    check({
        {"kidal", R"("kidal")", {}},
        {"25 000 tonnes", R"("25 000 tonnes")", {}},
        {"  25 000   tonnes  ", R"("25 000   tonnes")", {}},
        {"25\xC2\xA0"
         "000 tonnes",
         "\"25\xC2\xA0"
         "000 tonnes\"",
         {}},
        {"l'armée  française", R"("l'armée  française")", {}},
        {"l’armée de l’air", R"("l’armée de l’air")", {}},
        {"a\tb", R"("a\tb")", {}},
        {"c++ et C#", R"("c++ et C#")", {}},
        {"f(x)", R"((group "f" "x"))", {}},
    });
}

TEST_CASE("a hyphen inside a word is not an exclusion: porte-parole", "[query]") {
    check({
        {"porte-parole", R"("porte-parole")", {}},
        {"le porte-parole du gouvernement", R"("le porte-parole du gouvernement")", {}},
        {"Saint-Pétersbourg -Moscou", R"((group "Saint-Pétersbourg" -"Moscou"))", {}},
        {"-porte-parole", R"((group -"porte-parole"))", {}},
        {"x- y", R"("x- y")", {}},
    });
}

TEST_CASE("Kidal -Lavrov excludes Lavrov and +word requires a word", "[query]") {
    check({
        {"Kidal -Lavrov", R"((group "Kidal" -"Lavrov"))", {}},
        {"-Lavrov", R"((group -"Lavrov"))", {}},
        {"+mali kidal", R"((group +"mali" "kidal"))", {}},
        {"a b -c d e", R"((group "a b" -"c" "d e"))", {}},
        {"a b +c d", R"((group "a b" +"c" "d"))", {}},
        {"-(a b) c", R"((group -"a b" "c"))", {}},
        {"+(a OR b) c", R"((group +(any "a" "b") "c"))", {}},
        {"-\"chemin de fer\" train", R"((group -(phrase "chemin de fer") "train"))", {}},
        {"-5", R"((group -"5"))", {}},
    });
}

TEST_CASE("quoted text is one phrase, with straight, French or curly quotes", "[query]") {
    check({
        {R"("chemin de fer")", R"((phrase "chemin de fer"))", {}},
        {R"("  chemin de fer ")", R"((phrase "chemin de fer"))", {}},
        {"« chemin de fer »", R"((phrase "chemin de fer"))", {}},
        {"«\xC2\xA0"
         "chemin de fer\xC2\xA0»",
         R"((phrase "chemin de fer"))",
         {}},
        {"“chemin de fer”", R"((phrase "chemin de fer"))", {}},
        {"« il a dit “oui” »", R"((phrase "il a dit “oui”"))", {}},
        {"«dit \"oui\"»", R"((phrase "dit \"oui\""))", {}},
        {R"("kidal")", R"((phrase "kidal"))", {}},
        {R"(a "b c" d)", R"((group "a" (phrase "b c") "d"))", {}},
        {R"(a"b c"d)", R"((group "a" (phrase "b c") "d"))", {}},
        {R"("AND (x" OR y)", R"((any (phrase "AND (x") "y"))", {}},
        {"fin»", R"("fin»")", {}},
    });
}

TEST_CASE("AND binds tighter than OR and juxtaposition tighter than both", "[query]") {
    check({
        {"a OR b", R"((any "a" "b"))", {}},
        {"a AND b", R"((all "a" "b"))", {}},
        {"a b OR c d", R"((any "a b" "c d"))", {}},
        {"a OR b AND c", R"((any "a" (all "b" "c")))", {}},
        {"a AND b OR c", R"((any (all "a" "b") "c"))", {}},
        {"a OR b OR c", R"((any "a" "b" "c"))", {}},
        {"(a OR b) OR c", R"((any "a" "b" "c"))", {}},
        {"a AND (b AND c)", R"((all "a" "b" "c"))", {}},
        {"(a OR b) AND (c OR d)", R"((all (any "a" "b") (any "c" "d")))", {}},
        {"kidal -lavrov OR mali", R"((any (group "kidal" -"lavrov") "mali"))", {}},
        {"(a)AND(b)", R"((all "a" "b"))", {}},
    });
}

TEST_CASE("NOT excludes the item that follows it", "[query]") {
    check({
        {"NOT a", R"((group -"a"))", {}},
        {"a NOT b c", R"((group "a" -"b" "c"))", {}},
        {"a AND NOT b", R"((all "a" (group -"b")))", {}},
        {"NOT (a OR b)", R"((group -(any "a" "b")))", {}},
        {"NOT NOT a", R"((group -"a"))", {}},
        {"NOT +a", R"((group -"a"))", {}},
        {"NOT title:a", R"((group -title:"a"))", {}},
    });
}

TEST_CASE("operators are upper-case whole words only: et, ou, and, Or stay words", "[query]") {
    check({
        {"chat et chien ou souris", R"("chat et chien ou souris")", {}},
        {"a and b or c not d", R"("a and b or c not d")", {}},
        {"a Or b", R"("a Or b")", {}},
        {"ANDROID ORANGE NOTE", R"("ANDROID ORANGE NOTE")", {}},
        {"a -AND b", R"((group "a" -"AND" "b"))", {}},
        {"+NOT", R"((group +"NOT"))", {}},
        {"title:OR", R"(title:"OR")", {}},
    });
}

TEST_CASE("parentheses group items and collapse when they hold one plain part", "[query]") {
    check({
        {"(a b)", R"("a b")", {}},
        {"((((a))))", R"("a")", {}},
        {"a (b c)", R"((group "a" "b c"))", {}},
        {"(a OR b) -c", R"((group (any "a" "b") -"c"))", {}},
        {"(-a)", R"((group -"a"))", {}},
        {"(+a)", R"((group +"a"))", {}},
    });
}

TEST_CASE("title: and titre: restrict the atom after them to titles", "[query]") {
    check({
        {"title:kidal", R"(title:"kidal")", {}},
        {"TITRE:kidal", R"(title:"kidal")", {}},
        {"Titre:kidal", R"(title:"kidal")", {}},
        {"title: kidal", R"(title:"kidal")", {}},
        {"title:kidal mali", R"((group title:"kidal" "mali"))", {}},
        {"mali title:kidal gao", R"((group "mali" title:"kidal" "gao"))", {}},
        {R"(title:"chemin de fer")", R"(title:(phrase "chemin de fer"))", {}},
        {"titre:« chemin de fer »", R"(title:(phrase "chemin de fer"))", {}},
        {"title:(a b)", R"(title:"a b")", {}},
        {"title:(a -b)", R"((group title:"a" -title:"b"))", {}},
        {R"(title:(a OR "b c"))", R"((any title:"a" title:(phrase "b c")))", {}},
        {"-title:x", R"((group -title:"x"))", {}},
        {"title:-x", R"((group -title:"x"))", {}},
        {"+title:x y", R"((group +title:"x" "y"))", {}},
        {"title:title:x", R"(title:"x")", {}},
    });
}

TEST_CASE("an unknown name before a colon is plain text: http://x, foo:bar, 12:30", "[query]") {
    check({
        {"http://x.fr/a", R"("http://x.fr/a")", {}},
        {"foo:bar", R"("foo:bar")", {}},
        {"à 12:30 précises", R"("à 12:30 précises")", {}},
        {"subtitle:x", R"("subtitle:x")", {}},
        {"titles:x", R"("titles:x")", {}},
        {"title", R"("title")", {}},
    });
}

TEST_CASE("unbalanced quotes and empty phrases are repaired with a warning", "[query]") {
    check({
        {R"("unbalanced)", R"((phrase "unbalanced"))", {"unbalanced quote: closed at end"}},
        {R"(a "b c)", R"((group "a" (phrase "b c")))", {"unbalanced quote: closed at end"}},
        {"« chemin de fer", R"((phrase "chemin de fer"))", {"unbalanced quote: closed at end"}},
        {R"(")", "(group)", {"unbalanced quote ignored"}},
        {R"(a ")", R"("a")", {"unbalanced quote ignored"}},
        {R"("")", "(group)", {"empty phrase ignored"}},
        {R"(a "  " b)", R"((group "a" "b"))", {"empty phrase ignored"}},
        {"« »", "(group)", {"empty phrase ignored"}},
    });
}

TEST_CASE("unbalanced and empty parentheses are repaired with a warning", "[query]") {
    check({
        {"((", "(group)", {"unbalanced parenthesis: closed at end"}},
        {"(a", R"("a")", {"unbalanced parenthesis: closed at end"}},
        {"(a OR (b", R"((any "a" "b"))", {"unbalanced parenthesis: closed at end"}},
        {")(", "(group)", {"unmatched ')' ignored", "unbalanced parenthesis: closed at end"}},
        {")", "(group)", {"unmatched ')' ignored"}},
        {"a) b", R"((group "a" "b"))", {"unmatched ')' ignored"}},
        {"a)) b", R"((group "a" "b"))", {"unmatched ')' ignored"}},
        {"()", "(group)", {"empty parentheses ignored"}},
        {"a () b", R"((group "a" "b"))", {"empty parentheses ignored"}},
        {"(a AND) b", R"((group "a" "b"))", {"'AND' with nothing after it ignored"}},
    });
}

TEST_CASE("a field with nothing after it is ignored with a warning", "[query]") {
    check({
        {"title:", "(group)", {"'title:' with nothing after it ignored"}},
        {"titre:", "(group)", {"'titre:' with nothing after it ignored"}},
        {"a title:", R"("a")", {"'title:' with nothing after it ignored"}},
        {"title:)", "(group)", {"'title:' with nothing after it", "unmatched ')' ignored"}},
        {"(title:) a", R"("a")", {"'title:' with nothing after it", "empty parentheses"}},
        {"title: AND a", R"("a")", {"'title:' with nothing after it", "'AND' with nothing before"}},
        {"title:()", "(group)", {"empty parentheses ignored"}},
    });
}

TEST_CASE("a sign not glued to a word is ignored with a warning: lone -, - x, --x", "[query]") {
    check({
        {"-", "(group)", {"lone '-' ignored"}},
        {"+", "(group)", {"lone '+' ignored"}},
        {"- x", R"("x")", {"lone '-' ignored"}},
        {"+ x", R"("x")", {"lone '+' ignored"}},
        {"x -", R"("x")", {"lone '-' ignored"}},
        {"--x", R"((group -"x"))", {"lone '-' ignored"}},
        {"+-x", R"((group -"x"))", {"lone '+' ignored"}},
        {"-)", "(group)", {"lone '-' ignored", "unmatched ')' ignored"}},
        {"(-)", "(group)", {"lone '-' ignored", "empty parentheses ignored"}},
        {"- - -", "(group)", {"lone '-' ignored"}},
        {"-AND", R"((group -"AND"))", {}},
        {"- AND x", R"("x")", {"lone '-' ignored", "'AND' with nothing before it ignored"}},
    });
}

TEST_CASE("an operator missing an operand is ignored with a warning", "[query]") {
    check({
        {"NOT", "(group)", {"'NOT' with nothing after it ignored"}},
        {"a NOT", R"("a")", {"'NOT' with nothing after it ignored"}},
        {"NOT AND a", R"("a")", {"'NOT' with nothing after it", "'AND' with nothing before it"}},
        {"AND OR", "(group)", {"'AND' with nothing before it", "'OR' with nothing before it"}},
        {"AND", "(group)", {"'AND' with nothing before it ignored"}},
        {"a OR", R"("a")", {"'OR' with nothing after it ignored"}},
        {"OR a", R"("a")", {"'OR' with nothing before it ignored"}},
        {"a AND", R"("a")", {"'AND' with nothing after it ignored"}},
        {"a AND AND b", R"((all "a" "b"))", {"repeated 'AND' ignored"}},
        {"a OR OR b", R"((any "a" "b"))", {"repeated 'OR' ignored"}},
        {"a AND OR b", R"((any "a" "b"))", {"'AND' with nothing after it ignored"}},
        {"a OR AND b", R"((any "a" "b"))", {"'AND' with nothing before it ignored"}},
        {"(OR a)", R"("a")", {"'OR' with nothing before it ignored"}},
        {"a AND AND AND b", R"((all "a" "b"))", {"repeated 'AND' ignored"}},
    });
}

TEST_CASE("invalid UTF-8 and control bytes become spaces with a warning", "[query]") {
    check({
        {"café", R"("café")", {}},
        {"a\0b"sv, R"("a b")", {"control characters treated as spaces"}},
        {"\0"sv, "(group)", {"control characters treated as spaces"}},
        {"a\x01\x7F"
         "b",
         R"("a  b")",
         {"control characters treated as spaces"}},
        {"a\xFF"
         "b",
         R"("a b")",
         {"invalid utf-8 treated as spaces"}},
        {"\xC3", "(group)", {"invalid utf-8 treated as spaces"}},
        {"caf\xC3", R"("caf")", {"invalid utf-8 treated as spaces"}},
        {"\xC0\xAF"
         "x",
         R"("x")",
         {"invalid utf-8 treated as spaces"}},  // overlong '/'
        {"\xED\xA0\x80"
         "x",
         R"("x")",
         {"invalid utf-8 treated as spaces"}},                                 // surrogate
        {"\xF4\x90\x80\x80", "(group)", {"invalid utf-8 treated as spaces"}},  // past U+10FFFF
        {"\xE2\x80", "(group)", {"invalid utf-8 treated as spaces"}},          // truncated
        {"\"a\xFF\0b"sv,
         R"((phrase "a  b"))",
         {"invalid utf-8", "control characters", "unbalanced quote: closed at end"}},
        {"\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\"", {}},
    });
}

TEST_CASE("to_string escapes quotes and backslashes and shows occur and field", "[query]") {
    QueryNode words;
    words.text = "dit \"oui\" \\ non\n";
    words.kind = QueryNode::Kind::words;
    CHECK(to_string(words) == R"("dit \"oui\" \\ non\n")");

    QueryNode phrase;
    phrase.kind = QueryNode::Kind::phrase;
    phrase.text = "chemin de fer";
    phrase.field = Field::title;
    phrase.occur = Occur::must_not;
    CHECK(to_string(phrase) == R"(-title:(phrase "chemin de fer"))");

    QueryNode group;
    group.occur = Occur::must;
    group.children = {words, phrase};
    group.children.front().text = std::string("a\x01", 2);
    CHECK(to_string(group) == R"(+(group "a\x01" -title:(phrase "chemin de fer")))");

    QueryNode any;
    any.kind = QueryNode::Kind::any;
    CHECK(to_string(any) == "(any)");
    any.kind = QueryNode::Kind::all;
    CHECK(to_string(any) == "(all)");
    CHECK(to_string(QueryNode{}) == "(group)");

    CHECK(to_string(parse_query(R"(a\b "c\"d")").root) == R"((group "a\\b" (phrase "c\\") "d"))");
}

TEST_CASE("very long queries are parsed in one piece", "[query]") {
    SECTION("100 000 characters of words make one words node") {
        std::string input;
        while (input.size() < 100'000) input += "armée ";
        const ParsedQuery parsed = parse_query(input);
        CHECK(parsed.warnings.empty());
        CHECK(parsed.root.kind == QueryNode::Kind::words);
        CHECK(parsed.root.text == input.substr(0, input.size() - 1));
    }
    SECTION("long chains of prefixes do not recurse") {
        std::string nots;
        while (nots.size() < 100'000) nots += "NOT ";
        CHECK(to_string(parse_query(nots + "x").root) == R"((group -"x"))");
        std::string fields;
        while (fields.size() < 100'000) fields += "title:";
        CHECK(to_string(parse_query(fields + "x").root) == R"(title:"x")");
        const ParsedQuery minuses = parse_query(std::string(100'000, '-'));
        CHECK(to_string(minuses.root) == "(group)");
        CHECK(minuses.warnings == std::vector<std::string>{"lone '-' ignored"});
    }
    SECTION("many operators and phrases") {
        std::string input;
        while (input.size() < 100'000) input += "a OR \"b c\" AND -d ";
        const ParsedQuery parsed = parse_query(input);
        CHECK(parsed.warnings.empty());
        CHECK(parsed.root.kind == QueryNode::Kind::any);
        CHECK(parsed.root.children.size() > 5000);
    }
}

TEST_CASE("parentheses nested too deep are ignored beyond 100 levels, without stack overflow",
          "[query]") {
    SECTION("10 000 open parentheses") {
        const ParsedQuery parsed = parse_query(std::string(10'000, '('));
        CHECK(to_string(parsed.root) == "(group)");
        REQUIRE(parsed.warnings.size() == 2);
        CHECK(parsed.warnings[0] == kTooDeep);
        CHECK(parsed.warnings[1] == "unbalanced parenthesis: closed at end of query");
    }
    SECTION("10 000 balanced parentheses around words") {
        const std::string input = std::string(10'000, '(') + "a b" + std::string(10'000, ')');
        const ParsedQuery parsed = parse_query(input);
        CHECK(to_string(parsed.root) == R"("a b")");
        CHECK(parsed.warnings == std::vector<std::string>{kTooDeep});
    }
    SECTION("100 levels are kept without a warning") {
        const std::string input = std::string(100, '(') + "a -b" + std::string(100, ')');
        const ParsedQuery parsed = parse_query(input);
        CHECK(to_string(parsed.root) == R"((group "a" -"b"))");
        CHECK(parsed.warnings.empty());
    }
    SECTION("100 000 unmatched closing parentheses") {
        const ParsedQuery parsed = parse_query("a" + std::string(100'000, ')') + "b");
        CHECK(to_string(parsed.root) == R"((group "a" "b"))");
        CHECK(parsed.warnings == std::vector<std::string>{"unmatched ')' ignored"});
    }
}

namespace {

/// The shape promised by query.h and the parser: where occur and field may appear, no empty
/// or single-operand operators, and texts that are usable as they are.
void check_shape(const QueryNode& node, bool is_root, bool in_group) {
    if (!in_group) CHECK(node.occur == Occur::should);
    switch (node.kind) {
        case QueryNode::Kind::date: CHECK(node.field == Field::any); [[fallthrough]];
        case QueryNode::Kind::words:
        case QueryNode::Kind::phrase:
            CHECK(node.children.empty());
            CHECK_FALSE(node.text.empty());
            CHECK(is_valid_utf8(node.text));
            for (const char c : node.text) {
                const auto byte = static_cast<unsigned char>(c);
                CHECK(((byte >= 0x20 && byte != 0x7F) || (byte >= 0x09 && byte <= 0x0D)));
            }
            return;
        case QueryNode::Kind::group:
            CHECK(node.field == Field::any);
            CHECK(node.text.empty());
            if (!is_root) CHECK_FALSE(node.children.empty());
            if (node.children.size() == 1) CHECK(node.children.front().occur != Occur::should);
            for (const QueryNode& child : node.children) check_shape(child, false, true);
            return;
        case QueryNode::Kind::all:
        case QueryNode::Kind::any:
            CHECK(node.field == Field::any);
            CHECK(node.children.size() >= 2);
            for (const QueryNode& child : node.children) {
                CHECK(child.kind != node.kind);
                check_shape(child, false, false);
            }
            return;
    }
}

}  // namespace

TEST_CASE("pseudo-random input never throws and always gives a well-formed tree", "[query]") {
    static constexpr std::string_view kPieces[] = {
        "(",  ")",      "+",        "-",      ":",     " ",    " ",  "  ",  "\"", "AND",
        "OR", "NOT",    "title",    "titre:", "a",     "é",    "l'", "«",   "»",  "“",
        "”",  "25 000", "\xC2\xA0", "date:",  "DATE:", "2024", "..", "-07",
    };
    constexpr std::size_t kPieceCount = std::size(kPieces);
    // A fixed linear congruential generator: the same strings on every platform and run.
    std::uint64_t state = 20240611;
    auto next = [&state](std::uint64_t bound) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % bound;
    };
    for (int round = 0; round < 5000; ++round) {
        std::string input;
        const std::uint64_t pieces = next(40);
        for (std::uint64_t p = 0; p < pieces; ++p) {
            if (next(8) == 0) {
                input += static_cast<char>(next(256));
            } else {
                input += kPieces[next(kPieceCount)];
            }
        }
        INFO("round " << round << ": [" << input << "]");
        ParsedQuery parsed;
        REQUIRE_NOTHROW(parsed = parse_query(input));
        std::string rendered;
        REQUIRE_NOTHROW(rendered = to_string(parsed.root));
        CHECK_FALSE(rendered.empty());
        check_shape(parsed.root, true, false);
        for (std::size_t i = 0; i < parsed.warnings.size(); ++i) {
            CHECK_FALSE(parsed.warnings[i].empty());
            for (std::size_t j = 0; j < i; ++j) CHECK(parsed.warnings[i] != parsed.warnings[j]);
        }
        CHECK(to_string(parse_query(input).root) == rendered);
    }
}

namespace {

// Each words, phrase and date node under `node` as `text@offset`, in tree order.
void collect_leaves(const QueryNode& node, std::vector<std::string>& leaves) {
    if (node.kind == QueryNode::Kind::words || node.kind == QueryNode::Kind::phrase ||
        node.kind == QueryNode::Kind::date) {
        leaves.push_back(node.text + "@" + std::to_string(node.offset));
        return;
    }
    for (const QueryNode& child : node.children) collect_leaves(child, leaves);
}

}  // namespace

TEST_CASE("each words, phrase and date node says where its text starts in the input", "[query]") {
    struct OffsetCase {
        std::string_view input;
        std::vector<std::string> leaves;
    };
    const std::vector<OffsetCase> cases{
        {"accord militaire", {"accord militaire@0"}},
        {"  \"accrd militaire\"   -date:2020", {"accrd militaire@3", "2020@28"}},
        {"« chemin de fer » OR titre: gare", {"chemin de fer@3", "gare@30"}},
        {"(kidal OR +gao) -lavrov", {"kidal@1", "gao@11", "lavrov@17"}},
        {"date: 2024-07 \"  armée \"", {"2024-07@6", "armée@17"}},
        // Invalid bytes become spaces one for one, so later offsets are those of the input.
        {"a\xFF"
         "b OR \x01sécurté",
         {"a b@0", "sécurté@8"}},
    };
    for (const OffsetCase& c : cases) {
        INFO("query: [" << std::string(c.input) << "]");
        std::vector<std::string> leaves;
        collect_leaves(parse_query(c.input).root, leaves);
        CHECK(leaves == c.leaves);
    }
}
