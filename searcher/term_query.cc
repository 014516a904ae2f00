#include "searcher/term_query.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace trouvere::searcher {

namespace {

TermQuery branch(TermQuery::Op op, std::vector<TermQuery> parts) {
    if (parts.size() == 1) return std::move(parts.front());
    TermQuery query;
    query.op = op;
    query.parts = std::move(parts);
    return query;
}

}  // namespace

TermQuery term_query(std::string term) {
    TermQuery query;
    query.op = TermQuery::Op::term;
    query.term = std::move(term);
    return query;
}

TermQuery match_everything() {
    TermQuery query;
    query.op = TermQuery::Op::everything;
    return query;
}

TermQuery all_of(std::vector<TermQuery> parts) {
    if (parts.empty() || std::any_of(parts.begin(), parts.end(),
                                     [](const TermQuery& part) { return part.empty(); })) {
        return {};
    }
    return branch(TermQuery::Op::all, std::move(parts));
}

TermQuery any_of(std::vector<TermQuery> parts) {
    std::erase_if(parts, [](const TermQuery& part) { return part.empty(); });
    if (parts.empty()) return {};
    return branch(TermQuery::Op::any, std::move(parts));
}

TermQuery phrase_of(const std::vector<std::string>& terms) {
    std::vector<TermQuery> parts;
    parts.reserve(terms.size());
    for (const std::string& term : terms) parts.push_back(term_query(term));
    if (parts.empty()) return {};
    return branch(TermQuery::Op::phrase, std::move(parts));
}

TermQuery and_maybe(TermQuery required, TermQuery optional) {
    if (required.empty() || optional.empty()) return required;
    return {TermQuery::Op::and_maybe, {}, {std::move(required), std::move(optional)}};
}

TermQuery and_not(TermQuery required, TermQuery excluded) {
    if (required.empty() || excluded.empty()) return required;
    return {TermQuery::Op::and_not, {}, {std::move(required), std::move(excluded)}};
}

TermQuery dated_between(dates::DayNumber first_day, dates::DayNumber last_day) {
    // Both engines compare within the days that exist: Xapian compares them written YYYY-MM-DD.
    first_day = std::max(first_day, dates::kFirstDay);
    last_day = std::min(last_day, dates::kLastDay);
    if (first_day > last_day) return {};
    TermQuery query;
    query.op = TermQuery::Op::dated;
    query.first_day = first_day;
    query.last_day = last_day;
    return query;
}

TermQuery from_source(std::string source) {
    if (source.empty()) return {};
    TermQuery query;
    query.op = TermQuery::Op::sourced;
    query.term = std::move(source);
    return query;
}

std::string to_string(const TermQuery& query) {
    std::string_view name;
    switch (query.op) {
        case TermQuery::Op::dated:
            return "(dated " + dates::iso_day(query.first_day) + ".." +
                   dates::iso_day(query.last_day) + ")";
        case TermQuery::Op::sourced: return "(source " + query.term + ")";
        case TermQuery::Op::nothing: return "(nothing)";
        case TermQuery::Op::everything: return "(everything)";
        case TermQuery::Op::term: return query.term;
        case TermQuery::Op::all: name = "all"; break;
        case TermQuery::Op::any: name = "any"; break;
        case TermQuery::Op::phrase: name = "phrase"; break;
        case TermQuery::Op::and_maybe: name = "and_maybe"; break;
        case TermQuery::Op::and_not: name = "and_not"; break;
    }
    std::string out = "(";
    out += name;
    for (const TermQuery& part : query.parts) out += ' ' + to_string(part);
    return out + ')';
}

}  // namespace trouvere::searcher
