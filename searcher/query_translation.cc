#include "searcher/query_translation.h"

#include <algorithm>
#include <span>
#include <string_view>

#include "core/limits.h"
#include "core/term_scheme.h"
#include "searcher/date_range.h"
#include "trouvere/error.h"

namespace trouvere::searcher {

namespace {

std::string field_prefix(Field field) {
    return field == Field::title ? std::string(scheme::kTitlePrefix) : std::string();
}

class Translator {
public:
    Translator(Analyzer& analyzer, FreeWords mode) : analyzer_(analyzer), mode_(mode) {}

    // `negated`: the node sits under an exclusion, so its words must not be highlighted.
    TermQuery translate(const QueryNode& node, bool negated) {
        switch (node.kind) {
            case QueryNode::Kind::all: return all_of(translate_children(node, negated));
            case QueryNode::Kind::any: return any_of(translate_children(node, negated));
            case QueryNode::Kind::group: {
                Parts parts;
                for (const QueryNode& child : node.children) collect(child, negated, parts);
                return build(parts);
            }
            case QueryNode::Kind::words:
            case QueryNode::Kind::phrase: {
                Parts parts;
                collect(node, negated, parts);
                return build(parts);
            }
            case QueryNode::Kind::date: return dated(node);
        }
        return {};
    }

    Translation finish(TermQuery query) {
        return {std::move(query), std::move(match_), can_relax_};
    }

private:
    struct Parts {
        std::vector<TermQuery> should;
        std::vector<TermQuery> must;
        std::vector<TermQuery> must_not;
    };

    // The children of an explicit AND or OR; those with nothing searchable are left out.
    std::vector<TermQuery> translate_children(const QueryNode& node, bool negated) {
        std::vector<TermQuery> parts;
        for (const QueryNode& child : node.children) {
            TermQuery part = translate(child, negated || child.occur == Occur::must_not);
            if (!part.empty()) parts.push_back(std::move(part));
        }
        return parts;
    }

    void collect(const QueryNode& child, bool negated, Parts& parts) {
        bool excluded = negated || child.occur == Occur::must_not;
        std::vector<TermQuery> queries;
        if (child.kind == QueryNode::Kind::words) {
            queries = word_units(child, excluded);
        } else if (child.kind == QueryNode::Kind::phrase) {
            queries.push_back(phrase(analyze(child.text), child.field, excluded));
        } else if (child.kind == QueryNode::Kind::date) {
            // A date filters: beside free words it is required, and it never becomes one of
            // the words that any may match.
            TermQuery filter = dated(child);
            if (child.occur == Occur::must_not) {
                parts.must_not.push_back(std::move(filter));
            } else {
                parts.must.push_back(std::move(filter));
            }
            return;
        } else {
            queries.push_back(translate(child, excluded));
        }
        std::erase_if(queries, [](const TermQuery& query) { return query.empty(); });
        if (queries.empty()) return;
        switch (child.occur) {
            case Occur::should:
                parts.should.insert(parts.should.end(), queries.begin(), queries.end());
                break;
            case Occur::must:
                parts.must.insert(parts.must.end(), queries.begin(), queries.end());
                break;
            case Occur::must_not: parts.must_not.push_back(any_of(std::move(queries))); break;
        }
    }

    TermQuery build(const Parts& parts) {
        std::vector<TermQuery> positive = parts.must;
        if (!parts.should.empty()) {
            if (parts.should.size() > 1) can_relax_ = true;
            positive.push_back(mode_ == FreeWords::all ? all_of(parts.should)
                                                       : any_of(parts.should));
        }
        if (positive.empty()) {
            if (parts.must_not.empty()) return {};
            // Only exclusions (`-lavrov`): everything else is a match, as users of other engines
            // expect, and an AND around it turns this into a plain exclusion.
            positive.push_back(match_everything());
        }
        return and_not(all_of(std::move(positive)), any_of(parts.must_not));
    }

    // Free words, analysed: each word is one part, and words joined by hyphens
    // (`Saint-Pétersbourg`) are a phrase. Stopwords are left out unless nothing else is left.
    std::vector<TermQuery> word_units(const QueryNode& node, bool excluded) {
        std::vector<Token> tokens = analyze(node.text);
        std::vector<std::span<const Token>> units;
        for (std::size_t begin = 0; begin < tokens.size();) {
            std::size_t end = begin + 1;
            while (end < tokens.size() && tokens[end].hyphenated_to_previous) ++end;
            units.emplace_back(tokens.data() + begin, end - begin);
            begin = end;
        }
        auto is_lone_stopword = [](std::span<const Token> unit) {
            return unit.size() == 1 && unit[0].is_stopword;
        };
        bool only_stopwords = std::all_of(units.begin(), units.end(), is_lone_stopword);
        std::vector<TermQuery> queries;
        for (auto unit : units) {
            if (!only_stopwords && is_lone_stopword(unit)) continue;
            queries.push_back(phrase(unit, node.field, excluded));
        }
        return queries;
    }

    static TermQuery dated(const QueryNode& node) {
        const DayRange days = parse_date_range(node.text, "date:" + node.text);
        return dated_between(days.first, days.last);
    }

    // Every word of the query is analysed here, which is where their number is bounded.
    std::vector<Token> analyze(std::string_view text) {
        std::vector<Token> tokens = analyzer_.analyze(text);
        words_ += tokens.size();
        if (words_ > limits::kMaxQueryTerms) {
            throw QueryError("query has more than " + std::to_string(limits::kMaxQueryTerms) +
                             " words");
        }
        return tokens;
    }

    // Adjacent words in order; a single word is a plain term. Accented words typed with their
    // accents add their accented stem as an optional extra, so `armée` ranks the army above
    // `arme` (weapon), which it still matches. A single word also adds the word as typed (with
    // its accents when typed with them): the whole stem family matches, the word itself first.
    TermQuery phrase(std::span<const Token> tokens, Field field, bool excluded) {
        if (tokens.empty()) return {};
        std::string prefix = field_prefix(field);
        std::vector<std::string> terms;
        std::vector<TermQuery> accented;
        std::vector<std::string> match_terms;
        for (const Token& token : tokens) {
            terms.emplace_back(prefix + token.term);
            match_terms.push_back(token.term);
            if (!token.accented_term.empty()) {
                accented.push_back(
                    term_query(std::string(scheme::kAccentedPrefix) + token.accented_term));
            }
        }
        if (tokens.size() == 1 && field == Field::any && !tokens[0].is_stopword) {
            const Token& token = tokens[0];
            if (!token.accented_word.empty()) {
                accented.push_back(
                    term_query(std::string(scheme::kExactWordPrefix) + token.accented_word));
            } else if (!token.word.empty()) {
                accented.push_back(term_query(std::string(scheme::kWordPrefix) + token.word));
            }
        }
        if (!excluded) {
            if (match_terms.size() == 1) {
                match_.terms.insert(match_terms[0]);
            } else {
                match_.phrases.push_back(std::move(match_terms));
            }
        }
        return and_maybe(phrase_of(terms), any_of(std::move(accented)));
    }

    Analyzer& analyzer_;
    FreeWords mode_;
    MatchSpec match_;
    bool can_relax_ = false;
    std::size_t words_ = 0;
};

}  // namespace

namespace {

// The whole-title term of a query that is only free words: such a query equal to a title puts
// that document first. Empty for any other query.
std::string whole_title_of(const QueryNode& root, Analyzer& analyzer) {
    if (root.kind != QueryNode::Kind::words || root.field != Field::any) return {};
    std::vector<Token> tokens = analyzer.analyze(root.text);
    std::vector<std::string_view> words;
    for (const Token& token : tokens) {
        if (token.word.empty()) return {};
        words.push_back(token.word);
    }
    return words.empty() ? std::string() : scheme::whole_title_term(words);
}

}  // namespace

Translation translate(const QueryNode& root, Analyzer& analyzer, FreeWords mode) {
    Translator translator(analyzer, mode);
    TermQuery query = translator.translate(root, root.occur == Occur::must_not);
    if (std::string title = whole_title_of(root, analyzer); !title.empty()) {
        query = and_maybe(std::move(query), term_query(std::move(title)));
    }
    return translator.finish(std::move(query));
}

}  // namespace trouvere::searcher
