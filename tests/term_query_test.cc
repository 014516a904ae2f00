#include <xapian.h>
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "searcher/query_translation.h"
#include "searcher/term_query.h"
#include "searcher/xapian_engine.h"
#include "trouvere/analyzer.h"
#include "trouvere/query.h"

namespace {

using trouvere::searcher::all_of;
using trouvere::searcher::and_maybe;
using trouvere::searcher::and_not;
using trouvere::searcher::any_of;
using trouvere::searcher::match_everything;
using trouvere::searcher::phrase_of;
using trouvere::searcher::term_query;
using trouvere::searcher::TermQuery;
using trouvere::searcher::to_xapian_query;

std::string translated(std::string_view query,
                       trouvere::searcher::FreeWords mode = trouvere::searcher::FreeWords::all) {
    trouvere::Analyzer analyzer;
    return to_string(
        trouvere::searcher::translate(trouvere::parse_query(query).root, analyzer, mode).query);
}

}  // namespace

TEST_CASE("term queries are built in their simplest form", "[search]") {
    const TermQuery a = term_query("a");
    const TermQuery b = term_query("b");
    CHECK(all_of({}).empty());
    CHECK(any_of({}).empty());
    CHECK(phrase_of({}).empty());
    CHECK(all_of({a}) == a);
    CHECK(any_of({TermQuery(), a, TermQuery()}) == a);
    CHECK(all_of({a, TermQuery()}).empty());
    CHECK(phrase_of({"a"}) == a);
    CHECK(and_maybe(a, TermQuery()) == a);
    CHECK(and_not(a, TermQuery()) == a);
    CHECK(and_maybe(TermQuery(), a).empty());
    CHECK(and_not(TermQuery(), a).empty());
    CHECK(to_string(all_of({a, any_of({b, a})})) == "(all a (any b a))");
    CHECK(to_string(and_not(match_everything(), phrase_of({"a", "b"}))) ==
          "(and_not (everything) (phrase a b))");
}

TEST_CASE("a term query becomes the Xapian query Xapian's own constructors give", "[search]") {
    using Q = Xapian::Query;
    const std::vector<Q> words{Q("accord"), Q("militair")};
    struct Case {
        TermQuery ours;
        Q xapian;
    };
    const std::vector<Case> cases{
        {term_query("kidal"), Q("kidal")},
        {TermQuery(), Q()},
        {match_everything(), Q::MatchAll},
        {all_of({term_query("accord"), term_query("militair")}),
         Q(Q::OP_AND, words.begin(), words.end())},
        {any_of({term_query("accord"), term_query("militair")}),
         Q(Q::OP_OR, words.begin(), words.end())},
        {phrase_of({"accord", "militair"}), Q(Q::OP_PHRASE, words.begin(), words.end(), 2)},
        {and_maybe(term_query("arme"), term_query("Aarmé")),
         Q(Q::OP_AND_MAYBE, Q("arme"), Q("Aarmé"))},
        {and_not(match_everything(), term_query("lavrov")),
         Q(Q::OP_AND_NOT, Q::MatchAll, Q("lavrov"))},
    };
    for (const Case& c : cases) {
        INFO(to_string(c.ours));
        CHECK(to_xapian_query(c.ours).get_description() == c.xapian.get_description());
    }
}

TEST_CASE("user queries translate into term queries over the term scheme", "[search]") {
    struct Case {
        std::string_view query;
        std::string_view terms;
    };
    // A free word adds the word as typed (`W`, or `E` with the accents it was typed with); a query
    // of free words only adds the whole title it would be (`T`). Neither for an excluded word, a
    // phrase's words, words joined by a hyphen or a field's words.
    const std::vector<Case> cases{
        {"Kidal", "(and_maybe (and_maybe kidal Wkidal) Tkidal)"},
        {"accord militaire",
         "(and_maybe (all (and_maybe accord Waccord) (and_maybe militair Wmilitaire)) "
         "Taccord militaire)"},
        {"Kidal -Lavrov", "(and_not (and_maybe kidal Wkidal) lavrov)"},
        {"-Lavrov", "(and_not (everything) lavrov)"},
        {"+Kidal armée", "(all (and_maybe kidal Wkidal) (and_maybe arme (any Aarmé Earmée)))"},
        {"Lavrov OR Zakharova", "(any (and_maybe lavrov Wlavrov) (and_maybe zakharov Wzakharova))"},
        {"\"chemin de fer\"", "(phrase chemin de fer)"},
        {"Saint-Pétersbourg",
         "(and_maybe (and_maybe (phrase saint petersbourg) Apétersbourg) Tsaint petersbourg)"},
        {"title:CNT", "Scnt"},
        {"le la les", "(and_maybe (all le la le) Tle la les)"},
        {"(Kidal OR Gao) -Lavrov",
         "(and_not (any (and_maybe kidal Wkidal) (and_maybe gao Wgao)) lavrov)"},
    };
    for (const Case& c : cases) {
        INFO("query: " << c.query);
        CHECK(translated(c.query) == c.terms);
    }
    CHECK(translated("accord militaire", trouvere::searcher::FreeWords::any) ==
          "(and_maybe (any (and_maybe accord Waccord) (and_maybe militair Wmilitaire)) "
          "Taccord militaire)");
}
