// The search options read from text: one reading for the command line and the server's URLs.

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/error.h"
#include "trouvere/searcher.h"

namespace trouvere {

namespace {

std::string quoted(std::string_view value) {
    return "'" + std::string(value) + "'";
}

// `value` as a whole number within [least, most], written in decimal digits alone (no sign, no
// space), or a QueryError saying so.
std::size_t whole_number(std::string_view value, std::size_t least, std::size_t most) {
    std::size_t number = 0;
    const char* end = value.data() + value.size();
    const auto [stop, error] = std::from_chars(value.data(), end, number);
    const bool digits_only = !value.empty() && value.front() >= '0' && value.front() <= '9';
    if (!digits_only || error != std::errc() || stop != end || number < least || number > most) {
        const std::string range =
            most == SIZE_MAX
                ? "a whole number"
                : "a whole number from " + std::to_string(least) + " to " + std::to_string(most);
        throw QueryError(range + ", not " + quoted(value));
    }
    return number;
}

SortOrder sort_order(std::string_view value) {
    if (value == "relevance") return SortOrder::relevance;
    if (value == "newest") return SortOrder::newest;
    if (value == "oldest") return SortOrder::oldest;
    throw QueryError("relevance, newest or oldest, not " + quoted(value));
}

SearchEngine search_engine(std::string_view value) {
    for (SearchEngine engine :
         {SearchEngine::automatic, SearchEngine::native, SearchEngine::xapian}) {
        if (search_engine_name(engine) == value) return engine;
    }
    throw QueryError("auto, native or xapian, not " + quoted(value));
}

// The facets of a comma-separated list, each once, in the order first named.
std::vector<Facet> facets(std::string_view list) {
    std::vector<Facet> named;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string_view name = list.substr(start, comma - start);
        const std::optional<Facet> facet = facet_named(name);
        if (!facet) {
            throw QueryError("unknown facet " + quoted(name) + ": choose among year and source");
        }
        if (std::find(named.begin(), named.end(), *facet) == named.end()) named.push_back(*facet);
        start = comma + 1;
    }
    return named;
}

bool yes_or_no(std::string_view value) {
    if (value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    throw QueryError("true or false (1 or 0), not " + quoted(value));
}

}  // namespace

std::string_view search_engine_name(SearchEngine engine) {
    switch (engine) {
        case SearchEngine::automatic: return "auto";
        case SearchEngine::native: return "native";
        case SearchEngine::xapian: return "xapian";
    }
    return "auto";
}

void set_search_option(SearchOptions& options, std::string_view name, std::string_view value) {
    if (name == "limit") {
        options.limit = whole_number(value, 1, kMaxSearchLimit);
    } else if (name == "offset") {
        options.offset = whole_number(value, 0, SIZE_MAX);
    } else if (name == "snippet_chars") {
        options.snippet_chars = whole_number(value, kMinSnippetChars, kMaxSnippetChars);
    } else if (name == "sort") {
        options.sort = sort_order(value);
    } else if (name == "engine") {
        options.engine = search_engine(value);
    } else if (name == "since") {
        options.since = value;
    } else if (name == "until") {
        options.until = value;
    } else if (name == "source") {
        options.source = value;
    } else if (name == "facets") {
        options.facets = facets(value);
    } else if (name == "allow_partial") {
        options.allow_partial = yes_or_no(value);
    } else {
        throw QueryError(
            "not an option of a search, which takes limit, offset, snippet_chars, sort, engine, "
            "since, until, source, facets and allow_partial");
    }
}

}  // namespace trouvere
