#include <algorithm>
#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "text/utf8.h"
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

// The bytes that start something to escape in a JSON string: controls, `"`, `\`, DEL, and 0xC2,
// the first byte of the C1 controls (and of other characters, which stay as they are).
constexpr std::array<bool, 256> kMayEscape = [] {
    std::array<bool, 256> may{};
    for (std::size_t byte = 0; byte < 0x20; ++byte) may[byte] = true;
    may['"'] = may['\\'] = may[0x7F] = may[0xC2] = true;
    return may;
}();

// JSON written as it goes, byte for byte what dumped() gives for the same values, without
// building a tree first: results are written for every search, and nlohmann's tree and its
// dump were a fifth of a server's time per request.
class JsonWriter {
public:
    explicit JsonWriter(std::size_t expected_bytes = 0) { out_.reserve(expected_bytes); }

    JsonWriter& open(char bracket) {
        separate();
        out_ += bracket;
        first_ = true;
        return *this;
    }
    JsonWriter& close(char bracket) {
        out_ += bracket;
        first_ = false;
        return *this;
    }
    // `name` is one of this file's keys, which need no escape.
    JsonWriter& key(std::string_view name) {
        separate();
        out_ += '"';
        out_ += name;
        out_ += "\":";
        first_ = true;
        return *this;
    }
    JsonWriter& string(std::string_view text) {
        separate();
        if (!text::is_valid_utf8(text)) {
            // nlohmann's replacement of invalid sequences, kept exactly as search --json has it.
            out_ += dumped(nlohmann::ordered_json(std::string(text)));
            return *this;
        }
        out_ += '"';
        std::size_t plain = 0;  // where the run of bytes written as they are starts
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto byte = static_cast<unsigned char>(text[i]);
            if (!kMayEscape[byte]) continue;
            const bool c1 = byte == 0xC2 && i + 1 < text.size() &&
                            static_cast<unsigned char>(text[i + 1]) <= 0x9F;
            if (byte == 0xC2 && !c1) continue;
            out_.append(text, plain, i - plain);
            switch (byte) {
                case '"': out_ += "\\\""; break;
                case '\\': out_ += "\\\\"; break;
                case '\b': out_ += "\\b"; break;
                case '\f': out_ += "\\f"; break;
                case '\n': out_ += "\\n"; break;
                case '\r': out_ += "\\r"; break;
                case '\t': out_ += "\\t"; break;
                default:
                    // A C1 control is U+0080 to U+009F: 0xC2 and a second byte of at most 0x9F
                    // (and at least 0x80, the text being valid).
                    escape(c1 ? static_cast<unsigned char>(text[++i]) : byte);
            }
            plain = i + 1;
        }
        out_.append(text, plain);
        out_ += '"';
        return *this;
    }
    JsonWriter& string_or_null(std::string_view text) {
        return text.empty() ? null() : string(text);
    }
    JsonWriter& number(std::size_t value) {
        separate();
        out_ += std::to_string(value);
        return *this;
    }
    JsonWriter& real(double value) {
        separate();
        out_ += nlohmann::ordered_json(value).dump();
        return *this;
    }
    JsonWriter& boolean(bool value) {
        separate();
        out_ += value ? "true" : "false";
        return *this;
    }
    JsonWriter& null() {
        separate();
        out_ += "null";
        return *this;
    }
    [[nodiscard]] std::string text() && { return std::move(out_); }

private:
    // A comma before every value but the first of an object or array, and a key's value.
    void separate() {
        if (!first_) out_ += ',';
        first_ = false;
    }
    void escape(unsigned char code) {
        constexpr std::string_view kHexDigits = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHexDigits[code >> 4U];
        out_ += kHexDigits[code & 0xFU];
    }

    std::string out_;
    bool first_ = true;
};

}  // namespace

std::string to_json(const SearchResults& results) {
    // Most of an answer is its snippets and titles, a few escapes aside.
    std::size_t estimate = 256 + results.query.size();
    for (const Hit& hit : results.hits) {
        estimate += 160 + hit.id.size() + hit.title.size() + hit.source.size() + hit.url.size() +
                    hit.path.size() + hit.snippet.text.size() + 13 * hit.snippet.highlights.size();
    }
    JsonWriter json(estimate);
    json.open('{');
    json.key("query").string(results.query);
    json.key("engine").string(results.engine);
    json.key("total_estimate").number(results.total_estimate);
    json.key("total_exact").boolean(results.total_exact);
    json.key("fell_back_to_any_word").boolean(results.fell_back_to_any_word);
    json.key("suggestion");
    if (results.suggestion) {
        json.string(*results.suggestion);
    } else {
        json.null();
    }
    json.key("warnings").open('[');
    for (const std::string& warning : results.warnings) json.string(warning);
    json.close(']');
    json.key("hits").open('[');
    for (const Hit& hit : results.hits) {
        json.open('{');
        json.key("rank").number(hit.rank);
        json.key("id").string(hit.id);
        json.key("title").string(hit.title);
        json.key("score").real(hit.score);
        json.key("date").string_or_null(hit.date);
        json.key("source").string_or_null(hit.source);
        json.key("url").string_or_null(hit.url);
        json.key("path").string_or_null(hit.path);
        json.key("snippet").string(to_html(hit.snippet));
        json.close('}');
    }
    json.close(']');
    json.key("facets").open('{');
    for (std::size_t k = 0; k < results.facets.size(); ++k) {
        const Facet facet = results.facets[k].facet;
        const auto same = [facet](const FacetCounts& counts) { return counts.facet == facet; };
        // A facet asked twice is written once, where first asked, with its last counts.
        if (std::any_of(results.facets.begin(), results.facets.begin() + static_cast<long>(k),
                        same)) {
            continue;
        }
        const auto last = std::find_if(results.facets.rbegin(), results.facets.rend(), same);
        json.key(facet_name(facet)).open('[');
        for (const FacetValue& value : last->values) {
            json.open('{');
            json.key("value").string(value.value);
            json.key("count").number(value.count);
            json.close('}');
        }
        json.close(']');
    }
    json.close('}');
    json.close('}');
    return std::move(json).text();
}

std::string to_json(const Document& document) {
    JsonWriter json;
    json.open('{');
    json.key("id").string(document.id);
    json.key("title").string(document.title);
    json.key("body").string(document.body);
    json.key("date").string_or_null(document.date);
    json.key("source").string_or_null(document.source);
    json.key("url").string_or_null(document.url);
    json.key("path").string_or_null(document.path);
    json.close('}');
    return std::move(json).text();
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
