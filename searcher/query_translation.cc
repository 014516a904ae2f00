#include "searcher/query_translation.h"

#include <algorithm>
#include <span>
#include <string_view>

#include "core/limits.h"
#include "core/term_scheme.h"
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
    Xapian::Query translate(const QueryNode& node, bool negated) {
        switch (node.kind) {
            case QueryNode::Kind::all: return combine(Xapian::Query::OP_AND, node, negated);
            case QueryNode::Kind::any: return combine(Xapian::Query::OP_OR, node, negated);
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
        }
        return {};
    }

    Translation finish(Xapian::Query query) {
        return {std::move(query), std::move(match_), can_relax_};
    }

private:
    struct Parts {
        std::vector<Xapian::Query> should;
        std::vector<Xapian::Query> must;
        std::vector<Xapian::Query> must_not;
    };

    Xapian::Query combine(Xapian::Query::op op, const QueryNode& node, bool negated) {
        std::vector<Xapian::Query> parts;
        for (const QueryNode& child : node.children) {
            Xapian::Query part = translate(child, negated || child.occur == Occur::must_not);
            if (!part.empty()) parts.push_back(std::move(part));
        }
        return {op, parts.begin(), parts.end()};
    }

    void collect(const QueryNode& child, bool negated, Parts& parts) {
        bool excluded = negated || child.occur == Occur::must_not;
        std::vector<Xapian::Query> queries;
        if (child.kind == QueryNode::Kind::words) {
            queries = word_units(child, excluded);
        } else if (child.kind == QueryNode::Kind::phrase) {
            queries.push_back(phrase(analyze(child.text), child.field, excluded));
        } else {
            queries.push_back(translate(child, excluded));
        }
        std::erase_if(queries, [](const Xapian::Query& query) { return query.empty(); });
        if (queries.empty()) return;
        switch (child.occur) {
            case Occur::should:
                parts.should.insert(parts.should.end(), queries.begin(), queries.end());
                break;
            case Occur::must:
                parts.must.insert(parts.must.end(), queries.begin(), queries.end());
                break;
            case Occur::must_not:
                parts.must_not.emplace_back(Xapian::Query::OP_OR, queries.begin(), queries.end());
                break;
        }
    }

    Xapian::Query build(const Parts& parts) {
        std::vector<Xapian::Query> positive = parts.must;
        if (!parts.should.empty()) {
            if (parts.should.size() > 1) can_relax_ = true;
            auto op = mode_ == FreeWords::all ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
            positive.emplace_back(op, parts.should.begin(), parts.should.end());
        }
        if (positive.empty()) {
            if (parts.must_not.empty()) return {};
            // Only exclusions (`-lavrov`): everything else is a match, as users of other engines
            // expect, and an AND around it turns this into a plain exclusion.
            positive.push_back(Xapian::Query::MatchAll);
        }
        Xapian::Query query(Xapian::Query::OP_AND, positive.begin(), positive.end());
        if (parts.must_not.empty()) return query;
        return {Xapian::Query::OP_AND_NOT, query,
                Xapian::Query(Xapian::Query::OP_OR, parts.must_not.begin(), parts.must_not.end())};
    }

    // Free words, analysed: each word is one part, and words joined by hyphens
    // (`Saint-Pétersbourg`) are a phrase. Stopwords are left out unless nothing else is left.
    std::vector<Xapian::Query> word_units(const QueryNode& node, bool excluded) {
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
        std::vector<Xapian::Query> queries;
        for (auto unit : units) {
            if (!only_stopwords && is_lone_stopword(unit)) continue;
            queries.push_back(phrase(unit, node.field, excluded));
        }
        return queries;
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
    // `arme` (weapon), which it still matches.
    Xapian::Query phrase(std::span<const Token> tokens, Field field, bool excluded) {
        if (tokens.empty()) return {};
        std::string prefix = field_prefix(field);
        std::vector<Xapian::Query> terms;
        std::vector<Xapian::Query> accented;
        std::vector<std::string> match_terms;
        for (const Token& token : tokens) {
            terms.emplace_back(prefix + token.term);
            match_terms.push_back(token.term);
            if (!token.accented_term.empty()) {
                accented.emplace_back(std::string(scheme::kAccentedPrefix) + token.accented_term);
            }
        }
        if (!excluded) {
            if (match_terms.size() == 1) {
                match_.terms.insert(match_terms[0]);
            } else {
                match_.phrases.push_back(std::move(match_terms));
            }
        }
        Xapian::Query query =
            terms.size() == 1 ? terms[0]
                              : Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                                              static_cast<Xapian::termcount>(terms.size()));
        if (accented.empty()) return query;
        return {Xapian::Query::OP_AND_MAYBE, query,
                Xapian::Query(Xapian::Query::OP_OR, accented.begin(), accented.end())};
    }

    Analyzer& analyzer_;
    FreeWords mode_;
    MatchSpec match_;
    bool can_relax_ = false;
    std::size_t words_ = 0;
};

}  // namespace

Translation translate(const QueryNode& root, Analyzer& analyzer, FreeWords mode) {
    Translator translator(analyzer, mode);
    Xapian::Query query = translator.translate(root, root.occur == Occur::must_not);
    return translator.finish(std::move(query));
}

}  // namespace trouvere::searcher
