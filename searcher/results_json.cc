#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "trouvere/document.h"
#include "trouvere/searcher.h"
#include "trouvere/snippet.h"

namespace trouvere {

namespace {

nlohmann::ordered_json or_null(const std::string& text) {
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

// nlohmann escapes C0 controls but writes DEL and the C1 controls (U+0080–U+009F) as they are;
// a program that prints a title from our output to a terminal would pass the one-character CSI
// (U+009B) on. Outside strings JSON is ASCII, so these bytes can only be inside strings.
std::string escape_remaining_controls(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        auto byte = static_cast<unsigned char>(json[i]);
        auto next = i + 1 < json.size() ? static_cast<unsigned char>(json[i + 1]) : 0;
        if (byte == 0x7F) {
            out += "\\u007f";
        } else if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) {
            constexpr std::string_view kHexDigits = "0123456789abcdef";
            out += "\\u00";
            out += kHexDigits[next >> 4U];
            out += kHexDigits[next & 0xFU];
            ++i;
        } else {
            out += json[i];
        }
    }
    return out;
}

// `json` on one line, invalid UTF-8 replaced, every control character escaped.
std::string dumped(const nlohmann::ordered_json& json) {
    return escape_remaining_controls(
        json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::string to_json(const SearchResults& results) {
    nlohmann::ordered_json hits = nlohmann::ordered_json::array();
    for (const auto& hit : results.hits) {
        hits.push_back({{"rank", hit.rank},
                        {"id", hit.id},
                        {"title", hit.title},
                        {"score", hit.score},
                        {"date", or_null(hit.date)},
                        {"source", or_null(hit.source)},
                        {"url", or_null(hit.url)},
                        {"path", or_null(hit.path)},
                        {"snippet", to_html(hit.snippet)}});
    }
    nlohmann::ordered_json out{
        {"query", results.query},
        {"engine", results.engine},
        {"total_estimate", results.total_estimate},
        {"total_exact", results.total_exact},
        {"fell_back_to_any_word", results.fell_back_to_any_word},
        {"suggestion", results.suggestion ? nlohmann::ordered_json(*results.suggestion)
                                          : nlohmann::ordered_json(nullptr)},
        {"warnings", results.warnings},
        {"hits", hits}};
    nlohmann::ordered_json facets = nlohmann::ordered_json::object();
    for (const FacetCounts& counts : results.facets) {
        nlohmann::ordered_json values = nlohmann::ordered_json::array();
        for (const FacetValue& value : counts.values) {
            values.push_back({{"value", value.value}, {"count", value.count}});
        }
        facets[std::string(facet_name(counts.facet))] = std::move(values);
    }
    out["facets"] = std::move(facets);
    return dumped(out);
}

std::string to_json(const Document& document) {
    return dumped({{"id", document.id},
                   {"title", document.title},
                   {"body", document.body},
                   {"date", or_null(document.date)},
                   {"source", or_null(document.source)},
                   {"url", or_null(document.url)},
                   {"path", or_null(document.path)}});
}

std::string to_json(const QueryExplanation& explanation) {
    nlohmann::ordered_json words = nlohmann::ordered_json::array();
    for (const auto& word : explanation.words) {
        words.push_back({{"text", word.text},
                         {"stem", word.stem},
                         {"accented_stem", or_null(word.accented_stem)},
                         {"exact", or_null(word.exact)},
                         {"stopword", word.stopword}});
    }
    nlohmann::ordered_json out{
        {"tree", explanation.tree},        {"words", words},
        {"filters", explanation.filters},  {"matching", explanation.matching},
        {"engine", explanation.engine},    {"engine_reason", or_null(explanation.engine_reason)},
        {"warnings", explanation.warnings}};
    return dumped(out);
}

}  // namespace trouvere
