// HTML: parsed by gumbo (the HTML5 algorithm, so broken markup reads as a browser reads it), then
// the visible text of the article is collected. Metadata comes from the usual news-page tags:
// <title>/og:title, article:published_time/<time>, og:site_name, canonical link.

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory_resource>
#include <string>
#include <vector>

#include "core/limits.h"
#include "readers/french_dates.h"
#include "readers/html_charset.h"
#include "readers/html_nesting_limiter.h"
#include "readers/page_residue.h"
#include "readers/reader_support.h"
#include "readers/titles.h"
#include "text/ascii.h"
#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

// Owns a gumbo parse tree. The tree is allocated from an arena and released with it, rather than
// through gumbo_destroy_output, which frees it recursively: a deeply nested page would overflow
// the stack there.
class HtmlTree {
public:
    explicit HtmlTree(std::string_view html) {
        GumboOptions options = kGumboDefaultOptions;
        options.allocator = &allocate;
        options.deallocator = &deallocate;
        options.userdata = &arena_;
        // Each parse error keeps a copy of the stack of open elements, which on a deeply nested
        // page makes memory quadratic; the errors are not used.
        options.max_errors = 0;
        output_ = gumbo_parse_with_options(&options, html.data(), html.size());
    }
    ~HtmlTree() = default;
    HtmlTree(const HtmlTree&) = delete;
    HtmlTree& operator=(const HtmlTree&) = delete;

    [[nodiscard]] const GumboNode* document() const { return output_->document; }

private:
    static void* allocate(void* arena, std::size_t size) {
        return static_cast<std::pmr::monotonic_buffer_resource*>(arena)->allocate(
            size == 0 ? 1 : size, alignof(std::max_align_t));
    }
    static void deallocate(void* /*arena*/, void* /*pointer*/) {}

    std::pmr::monotonic_buffer_resource arena_;
    GumboOutput* output_ = nullptr;
};

std::string_view attribute(const GumboNode* node, const char* name) {
    const GumboAttribute* found = gumbo_get_attribute(&node->v.element.attributes, name);
    return found == nullptr ? std::string_view{} : std::string_view(found->value);
}

// Children in document order, for pushing onto a stack in reverse.
const GumboVector& children_of(const GumboNode* node) {
    return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

// Elements whose content is not visible text, or is page furniture rather than the article:
// navigation, footers, sidebars of related links, forms and their buttons.
bool is_skipped(const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEMPLATE) return true;
    switch (node->v.element.tag) {
        case GUMBO_TAG_HEAD:
        case GUMBO_TAG_TITLE:
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
        case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_SVG:
        case GUMBO_TAG_MATH:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_EMBED:
        case GUMBO_TAG_CANVAS:
        case GUMBO_TAG_AUDIO:
        case GUMBO_TAG_VIDEO:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_BUTTON:
        case GUMBO_TAG_SELECT:
        case GUMBO_TAG_TEXTAREA: return true;
        default: return gumbo_get_attribute(&node->v.element.attributes, "hidden") != nullptr;
    }
}

enum class Layout { inline_text, block, cell, line_break, preformatted };

Layout layout_of(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_BR: return Layout::line_break;
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_LISTING:
        case GUMBO_TAG_PLAINTEXT:
        case GUMBO_TAG_XMP: return Layout::preformatted;
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TH: return Layout::cell;
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_BODY:
        case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_CENTER:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_DIR:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_FIELDSET:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_HGROUP:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_HTML:
        case GUMBO_TAG_LEGEND:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_MENU:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_P:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_SUMMARY:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_TBODY:
        case GUMBO_TAG_TFOOT:
        case GUMBO_TAG_THEAD:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_UL: return Layout::block;
        default: return Layout::inline_text;
    }
}

// Builds paragraphs from text nodes the way a browser lays them out: whitespace runs collapse to
// one space, inline elements add nothing (so `<b>ar</b>mée` reads `armée`), blocks start a new
// paragraph, <br> and newlines inside <pre> start a new line.
class TextCollector {
public:
    void add_text(std::string_view text, bool preformatted) {
        for (char c : text) {
            if (preformatted && c == '\n') {
                line_break();
            } else if (text::is_ascii_white_space(c)) {
                pending_space_ = true;
            } else {
                if (pending_space_ && !current_.empty() && current_.back() != '\n') current_ += ' ';
                pending_space_ = false;
                current_ += c;
            }
        }
    }
    void space() { pending_space_ = true; }
    void line_break() {
        if (!current_.empty() && current_.back() != '\n') current_ += '\n';
        pending_space_ = false;
    }
    void paragraph_break() {
        while (!current_.empty() && current_.back() == '\n') current_.pop_back();
        if (!current_.empty()) paragraphs_.push_back(std::move(current_));
        current_.clear();
        pending_space_ = false;
    }
    std::vector<std::string> finish() {
        paragraph_break();
        return std::move(paragraphs_);
    }

private:
    std::vector<std::string> paragraphs_;
    std::string current_;
    bool pending_space_ = false;
};

// The visible text under `start`, as paragraphs. Iterative: page depth is not bounded.
std::vector<std::string> visible_paragraphs(const GumboNode* start) {
    struct Step {
        const GumboNode* node;
        bool leaving;
    };
    TextCollector out;
    std::vector<Step> stack{{start, false}};
    int preformatted_depth = 0;
    while (!stack.empty()) {
        Step step = stack.back();
        stack.pop_back();
        const GumboNode* node = step.node;
        switch (node->type) {
            case GUMBO_NODE_TEXT:
            case GUMBO_NODE_WHITESPACE:
            case GUMBO_NODE_CDATA: out.add_text(node->v.text.text, preformatted_depth > 0); break;
            case GUMBO_NODE_DOCUMENT:
            case GUMBO_NODE_ELEMENT: {
                Layout layout = node->type == GUMBO_NODE_DOCUMENT ? Layout::block
                                                                  : layout_of(node->v.element.tag);
                if (step.leaving) {
                    if (layout == Layout::preformatted) --preformatted_depth;
                    if (layout == Layout::cell) out.space();
                    if (layout == Layout::block || layout == Layout::preformatted) {
                        out.paragraph_break();
                    }
                    break;
                }
                if (node->type == GUMBO_NODE_ELEMENT && is_skipped(node)) break;
                if (layout == Layout::line_break) {
                    out.line_break();
                    break;
                }
                if (layout == Layout::cell) out.space();
                if (layout == Layout::block || layout == Layout::preformatted)
                    out.paragraph_break();
                if (layout == Layout::preformatted) ++preformatted_depth;
                stack.push_back({node, true});
                const GumboVector& children = children_of(node);
                for (unsigned i = children.length; i > 0; --i) {
                    stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false});
                }
                break;
            }
            default:  // comments, <template> contents
                break;
        }
    }
    return out.finish();
}

// All text under `node` on one line, for <title>, <h1> and <time>.
std::string text_content(const GumboNode* node) {
    std::string text;
    std::vector<const GumboNode*> stack{node};
    while (!stack.empty()) {
        const GumboNode* current = stack.back();
        stack.pop_back();
        if (current->type == GUMBO_NODE_TEXT || current->type == GUMBO_NODE_WHITESPACE ||
            current->type == GUMBO_NODE_CDATA) {
            text += current->v.text.text;
        } else if (current->type == GUMBO_NODE_ELEMENT || current->type == GUMBO_NODE_DOCUMENT) {
            const GumboVector& children = children_of(current);
            for (unsigned i = children.length; i > 0; --i) {
                stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
            }
        }
    }
    return text::collapse_layout_white_space(text);
}

// What the page says about itself, gathered in one pass over every element.
struct PageFacts {
    std::string title;
    std::string og_title;
    std::string first_h1;
    std::string site_name;
    std::string canonical_url;
    std::string og_url;
    std::string published_time;
    std::string time_date;
    std::string meta_date;
    std::string charset;
    /// Outermost <article> elements, in document order.
    std::vector<const GumboNode*> articles;
};

void note_meta(const GumboNode* meta, PageFacts& facts) {
    std::string_view key = attribute(meta, "property");
    if (key.empty()) key = attribute(meta, "name");
    if (key.empty()) key = attribute(meta, "itemprop");
    std::string_view content = attribute(meta, "content");
    auto keep_first = [&](std::string& field) {
        if (field.empty()) field = text::collapse_layout_white_space(content);
    };
    if (text::equals_ignoring_ascii_case(key, "og:title")) keep_first(facts.og_title);
    if (text::equals_ignoring_ascii_case(key, "og:site_name")) keep_first(facts.site_name);
    if (text::equals_ignoring_ascii_case(key, "og:url")) keep_first(facts.og_url);
    if (text::equals_ignoring_ascii_case(key, "article:published_time") ||
        text::equals_ignoring_ascii_case(key, "datePublished")) {
        keep_first(facts.published_time);
    }
    if (text::equals_ignoring_ascii_case(key, "date") ||
        text::equals_ignoring_ascii_case(key, "dc.date")) {
        keep_first(facts.meta_date);
    }

    if (!facts.charset.empty()) return;
    if (std::string_view charset = attribute(meta, "charset"); !charset.empty()) {
        facts.charset = text::collapse_layout_white_space(charset);
    } else if (text::equals_ignoring_ascii_case(attribute(meta, "http-equiv"), "content-type")) {
        facts.charset = charset_of_content_type(content);
    }
}

bool has_rel(const GumboNode* link, std::string_view wanted) {
    std::string rel = text::collapse_layout_white_space(attribute(link, "rel"));
    std::string_view rest = rel;
    while (!rest.empty()) {
        std::size_t space = rest.find(' ');
        if (text::equals_ignoring_ascii_case(rest.substr(0, space), wanted)) return true;
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    return false;
}

PageFacts page_facts(const GumboNode* document) {
    PageFacts facts;
    struct Step {
        const GumboNode* node;
        bool in_article;
    };
    std::vector<Step> stack{{document, false}};
    while (!stack.empty()) {
        Step step = stack.back();
        stack.pop_back();
        const GumboNode* node = step.node;
        if (node->type != GUMBO_NODE_DOCUMENT && node->type != GUMBO_NODE_ELEMENT) continue;
        bool in_article = step.in_article;
        if (node->type == GUMBO_NODE_ELEMENT) {
            const GumboElement& element = node->v.element;
            bool html = element.tag_namespace == GUMBO_NAMESPACE_HTML;
            switch (html ? element.tag : GUMBO_TAG_UNKNOWN) {
                case GUMBO_TAG_TITLE:
                    if (facts.title.empty()) facts.title = text_content(node);
                    break;
                case GUMBO_TAG_META: note_meta(node, facts); break;
                case GUMBO_TAG_LINK:
                    if (facts.canonical_url.empty() && has_rel(node, "canonical")) {
                        facts.canonical_url = text::trim_ascii_white_space(attribute(node, "href"));
                    }
                    break;
                case GUMBO_TAG_H1:
                    if (facts.first_h1.empty()) facts.first_h1 = text_content(node);
                    break;
                case GUMBO_TAG_TIME:
                    if (facts.time_date.empty()) {
                        std::string_view datetime = attribute(node, "datetime");
                        auto iso = normalize_date(datetime.empty() ? text_content(node)
                                                                   : std::string(datetime));
                        if (iso) facts.time_date = std::move(*iso);
                    }
                    break;
                case GUMBO_TAG_ARTICLE:
                    if (!in_article) facts.articles.push_back(node);
                    in_article = true;
                    break;
                default: break;
            }
        }
        const GumboVector& children = children_of(node);
        for (unsigned i = children.length; i > 0; --i) {
            stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), in_article});
        }
    }
    return facts;
}

// " - Le Monde", " | RFI": what sites append to the headline in <title>.
constexpr std::array<std::string_view, 6> kTitleSeparators{
    " - ", " | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: "};

bool starts_with_separator(std::string_view text) {
    return std::any_of(kTitleSeparators.begin(), kTitleSeparators.end(),
                       [&](std::string_view separator) { return text.starts_with(separator); });
}

std::string choose_title(const PageFacts& facts) {
    std::string title = facts.title;
    if (title.empty()) title = facts.og_title;
    if (title.empty()) return facts.first_h1;
    // "Headline | Site": the <h1> is the headline alone.
    if (!facts.first_h1.empty() && title.size() > facts.first_h1.size() &&
        title.starts_with(facts.first_h1) &&
        starts_with_separator(std::string_view(title).substr(facts.first_h1.size()))) {
        return facts.first_h1;
    }
    if (!facts.site_name.empty() && title.size() > facts.site_name.size() &&
        title.ends_with(facts.site_name)) {
        std::string_view head =
            std::string_view(title).substr(0, title.size() - facts.site_name.size());
        for (std::string_view separator : kTitleSeparators) {
            if (head.ends_with(separator)) {
                return std::string(head.substr(0, head.size() - separator.size()));
            }
        }
    }
    return title;
}

}  // namespace

ReadResult read_html_file(const ReaderInput& input) {
    std::string_view html = input.text;
    ReadResult result;
    std::optional<FlattenedHtml> flattened = flatten_deep_nesting(html);
    if (flattened) {
        IndexWarning warning =
            make_warning(input.display_name, line_at(input.text, flattened->first_dropped),
                         input.base_offset + flattened->first_dropped,
                         "HTML nested deeper than " + std::to_string(limits::kMaxHtmlDepth) +
                             " elements: the deeper tags are ignored, their text is kept");
        warning.skipped = false;
        result.warnings.push_back(std::move(warning));
        html = flattened->html;
    }
    std::string converted;
    // Looked for in the page as given, so that the warning points into the file: flattening
    // removes only ASCII tags, which leaves every invalid sequence in place.
    if (auto bad = text::find_invalid_utf8(input.text)) {
        // Not UTF-8: usable only if the page names its charset. Gumbo reads the invalid bytes as
        // U+FFFD, which leaves the ASCII <meta> tags intact.
        std::string charset = page_facts(HtmlTree(html).document()).charset;
        auto utf8 = convert_to_utf8(html, charset);
        if (!utf8) {
            result.warnings.push_back(invalid_utf8_warning(input, *bad));
            return result;
        }
        converted = std::move(*utf8);
        html = converted;
    }

    HtmlTree tree(html);
    PageFacts facts = page_facts(tree.document());

    Document document;
    document.id = input.file_id;
    document.path = input.display_name;
    document.title = choose_title(facts);
    document.source = facts.site_name;
    document.url = !facts.canonical_url.empty() ? facts.canonical_url : facts.og_url;
    for (const std::string* candidate :
         {&facts.published_time, &facts.time_date, &facts.meta_date}) {
        if (auto iso = normalize_date(*candidate)) {
            document.date = std::move(*iso);
            break;
        }
    }

    // The article's own text when the page marks it; of several <article>s (a list of teasers
    // around the story), the longest.
    std::vector<std::string> paragraphs;
    std::size_t best_size = 0;
    for (const GumboNode* article : facts.articles) {
        std::vector<std::string> candidate = visible_paragraphs(article);
        std::size_t size = 0;
        for (const auto& paragraph : candidate) size += paragraph.size();
        if (size > best_size) {
            best_size = size;
            paragraphs = std::move(candidate);
        }
    }
    if (paragraphs.empty()) paragraphs = visible_paragraphs(tree.document());

    std::vector<std::string> kept;
    for (const std::string& paragraph : paragraphs) {
        std::string cleaned;
        for (std::string_view line : split_lines(paragraph)) {
            line = text::trim_white_space(line);
            if (line.empty() || is_page_residue(line)) continue;
            if (!cleaned.empty()) cleaned += '\n';
            cleaned += line;
        }
        if (!cleaned.empty()) kept.push_back(std::move(cleaned));
    }

    if (document.title.empty() && !kept.empty()) {
        std::string_view first = kept.front();
        document.title = title_from_paragraph(first.substr(0, first.find('\n'))).text;
    }
    // The page's <h1> usually repeats the title at the top of the article.
    drop_leading_title(kept, document.title);
    document.body = join_paragraphs(kept);
    // Gumbo decodes a numeric character reference too large for an int (`&#55555555555;`) into
    // bytes that are not UTF-8 where the HTML standard asks for U+FFFD.
    for (std::string* field : {&document.title, &document.body, &document.source, &document.url}) {
        if (text::find_invalid_utf8(*field)) *field = text::with_replacement_characters(*field);
    }

    add_document_or_skip(result, std::move(document), input, "no visible text");
    return result;
}

}  // namespace trouvere::readers
