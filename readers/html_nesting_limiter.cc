#include "readers/html_nesting_limiter.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <vector>

#include "text/ascii.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

// Elements that never hold children (void elements), and those the parser closes when a sibling
// starts (<p>, <li>, <td>…), so that they only nest with a counted element between them: neither
// adds to the depth, and old-style pages with thousands of unclosed <p> are left alone.
bool adds_no_depth(std::string_view name) {
    static constexpr std::array<std::string_view, 29> kNames{
        "area",   "base",  "br",    "col",    "embed",  "hr",  "img",      "input",
        "link",   "meta",  "param", "source", "track",  "wbr", "basefont", "bgsound",
        "keygen", "frame", "p",     "li",     "dt",     "dd",  "tr",       "td",
        "th",     "tbody", "thead", "tfoot",  "caption"};
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end() || name == "colgroup";
}

// The HTML standard's "special" elements: an end tag that meets one of them on the stack of open
// elements, before the element it names, is ignored.
bool is_special(std::string_view name) {
    static constexpr std::array<std::string_view, 78> kNames{
        "address",  "applet",     "area",     "article",    "aside",     "base",     "basefont",
        "bgsound",  "blockquote", "body",     "br",         "button",    "caption",  "center",
        "col",      "colgroup",   "dd",       "details",    "dir",       "div",      "dl",
        "dt",       "embed",      "fieldset", "figcaption", "figure",    "footer",   "form",
        "frame",    "frameset",   "h1",       "h2",         "h3",        "h4",       "h5",
        "h6",       "head",       "header",   "hgroup",     "hr",        "html",     "iframe",
        "img",      "input",      "keygen",   "li",         "link",      "listing",  "main",
        "marquee",  "menu",       "meta",     "nav",        "noembed",   "noframes", "noscript",
        "object",   "ol",         "p",        "param",      "plaintext", "pre",      "section",
        "select",   "source",     "style",    "summary",    "table",     "tbody",    "td",
        "template", "textarea",   "tfoot",    "th",         "thead",     "title",    "tr",
        "ul"};
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end() || name == "wbr" ||
           name == "xmp" || name == "search";
}

// HTML elements whose content the tokenizer reads as text up to their end tag: they hold no
// elements, and tags inside them are not tags. <noscript> is not among them: in <head> the parser
// reads its content as markup.
bool holds_raw_text(std::string_view name) {
    static constexpr std::array<std::string_view, 8> kNames{
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"};
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// Offset of the first `</name` (any case) at or after `from`, or the end of `html`.
std::size_t find_end_tag(std::string_view html, std::string_view name, std::size_t from) {
    for (std::size_t at = html.find("</", from); at != std::string_view::npos;
         at = html.find("</", at + 2)) {
        std::string_view candidate = html.substr(at + 2, name.size());
        if (text::equals_ignoring_ascii_case(candidate, name)) return at;
    }
    return html.size();
}

// Where the comment starting at `at` ends, as the tokenizer sees it: `<!-->` and `<!--->` end at
// once, others at `-->` or `--!>`. Reading `<!-->` as the start of a long comment would hide the
// tags after it from the count while gumbo still parses them.
std::size_t comment_end(std::string_view html, std::size_t at) {
    std::string_view rest = html.substr(at + 4);
    if (rest.starts_with(">")) return at + 5;
    if (rest.starts_with("->")) return at + 6;
    std::size_t end = std::min(html.find("-->", at + 4), html.find("--!>", at + 4));
    if (end == std::string_view::npos) return html.size();
    return end + (html.compare(end, 3, "-->") == 0 ? 3 : 4);
}

// Offset of the `>` that ends the tag whose attributes start at `from`, or the end of `html`.
// Quotes count only where they open an attribute value, after `=`: elsewhere (`<a b=c'd>`) they
// are text, and taking them for quotes would hide tags from the count.
std::size_t attributes_end(std::string_view html, std::size_t from) {
    std::size_t i = from;
    while (i < html.size() && html[i] != '>') {
        if (html[i] != '=') {
            ++i;
            continue;
        }
        ++i;
        while (i < html.size() && text::is_ascii_white_space(html[i])) ++i;
        if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
            std::size_t close = html.find(html[i], i + 1);
            i = close == std::string_view::npos ? html.size() : close + 1;
        }
    }
    return i;
}

}  // namespace

std::optional<FlattenedHtml> flatten_deep_nesting(std::string_view html, std::size_t max_depth) {
    struct Open {
        std::string name;
        bool special;
    };
    std::optional<FlattenedHtml> out;
    std::size_t copied = 0;  // bytes of `html` already handled in out->html
    std::vector<Open> stack;
    std::unordered_map<std::string, std::size_t> open_count;
    // Inside <svg> and <math>, <style>, <script> and <plaintext> are foreign elements whose
    // content is markup. Staying in this mode longer than the parser (which leaves it at <div>, for
    // one) only makes the scan count tags the parser reads as text.
    auto in_foreign_content = [&open_count] {
        for (const char* foreign : {"svg", "math"}) {
            auto found = open_count.find(foreign);
            if (found != open_count.end() && found->second > 0) return true;
        }
        return false;
    };
    std::string name;
    for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at)) {
        std::string_view rest = html.substr(at);
        if (rest.starts_with("<!--")) {
            at = comment_end(html, at);
            continue;
        }
        bool closing = rest.size() > 1 && rest[1] == '/';
        std::size_t name_begin = at + (closing ? 2 : 1);
        if (name_begin >= html.size() || !text::is_ascii_letter(html[name_begin])) {
            ++at;  // `<` as text, `<!DOCTYPE`, `<?xml`: nothing that nests
            continue;
        }
        std::size_t name_end = name_begin;
        while (name_end < html.size() && !text::is_ascii_white_space(html[name_end]) &&
               html[name_end] != '/' && html[name_end] != '>') {
            ++name_end;
        }
        name.assign(html.substr(name_begin, name_end - name_begin));
        for (char& c : name) c = text::lower_ascii(c);
        std::size_t tag_end = std::min(attributes_end(html, name_end) + 1, html.size());
        std::size_t next = tag_end;
        if (closing) {
            auto found = open_count.find(name);
            if (found != open_count.end() && found->second > 0) {
                std::size_t i = stack.size();
                while (i > 0 && stack[i - 1].name != name && !stack[i - 1].special) --i;
                if (i > 0 && stack[i - 1].name == name) {
                    while (stack.size() >= i) {
                        --open_count[stack.back().name];
                        stack.pop_back();
                    }
                }
            }
        } else if (name == "plaintext" && !in_foreign_content()) {
            break;  // the rest of the page is text
        } else if (holds_raw_text(name) && !in_foreign_content()) {
            next = find_end_tag(html, name, tag_end);
        } else if (!adds_no_depth(name)) {
            if (stack.size() < max_depth) {
                ++open_count[name];
                stack.push_back({name, is_special(name)});
            } else {
                if (!out) {
                    out.emplace();
                    out->html.reserve(html.size());
                    out->first_dropped = at;
                }
                out->html.append(html.substr(copied, at - copied));
                copied = tag_end;
            }
        }
        at = next;
    }
    if (out) out->html.append(html.substr(copied));
    return out;
}

}  // namespace trouvere::readers
