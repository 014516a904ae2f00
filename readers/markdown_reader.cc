// Markdown: optional YAML front matter for the metadata, then CommonMark whose syntax tree is
// flattened to plain text, so that no markup (`**`, `#`, link targets) reaches the index.

#include <cmark.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "readers/french_dates.h"
#include "readers/page_residue.h"
#include "readers/reader_support.h"
#include "readers/titles.h"
#include "text/utf8.h"
#include "text/white_space.h"

namespace trouvere::readers {

namespace {

struct FrontMatter {
    /// The first line is `---`.
    bool opened = false;
    /// A closing `---` or `...` line was found.
    bool closed = false;
    std::string_view yaml;
    /// Offset of `yaml` in the reader's text.
    std::size_t yaml_offset = 0;
    /// What follows the front matter: the Markdown.
    std::string_view markdown;
};

bool is_fence(std::string_view line, std::string_view fence) {
    while (!line.empty() && text::is_ascii_white_space(line.back())) line.remove_suffix(1);
    return line == fence;
}

FrontMatter split_front_matter(std::string_view text) {
    FrontMatter front;
    front.markdown = text;
    std::size_t first_end = text.find('\n');
    std::string_view first = text.substr(0, first_end);
    if (!is_fence(first, "---")) return front;
    front.opened = true;
    if (first_end == std::string_view::npos) return front;
    std::size_t start = first_end + 1;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        std::string_view line =
            text.substr(start, end == std::string_view::npos ? end : end - start);
        if (is_fence(line, "---") || is_fence(line, "...")) {
            front.closed = true;
            front.yaml = text.substr(first_end + 1, start - first_end - 1);
            front.yaml_offset = first_end + 1;
            front.markdown =
                end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
            return front;
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return front;
}

struct Block {
    std::string text;
    /// 1 to 6 for headings, 0 otherwise.
    int heading_level = 0;
};

using NodePtr = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;
using IterPtr = std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)>;

// Cleans a paragraph or heading line by line: collapses whitespace and drops page residue, which
// scraped Markdown carries as much as scraped text.
std::string clean_prose(std::string_view text) {
    std::string cleaned;
    for (std::string_view raw : split_lines(text)) {
        std::string line = text::collapse_layout_white_space(raw);
        if (line.empty() || is_page_residue(line)) continue;
        if (!cleaned.empty()) cleaned += '\n';
        cleaned += line;
    }
    return cleaned;
}

// The leaf blocks of the document in order, as plain text. Soft line breaks become spaces and hard
// ones newlines; raw HTML is markup and is dropped; link and image text is kept, their targets not.
std::vector<Block> markdown_blocks(std::string_view markdown) {
    NodePtr root(cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT),
                 &cmark_node_free);
    IterPtr iter(cmark_iter_new(root.get()), &cmark_iter_free);
    std::vector<Block> blocks;
    std::string current;
    for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter.get())) {
        cmark_node* node = cmark_iter_get_node(iter.get());
        switch (cmark_node_get_type(node)) {
            case CMARK_NODE_PARAGRAPH:
            case CMARK_NODE_HEADING:
                if (event == CMARK_EVENT_ENTER) {
                    current.clear();
                } else if (std::string text = clean_prose(current); !text.empty()) {
                    int level = cmark_node_get_type(node) == CMARK_NODE_HEADING
                                    ? cmark_node_get_heading_level(node)
                                    : 0;
                    blocks.push_back({std::move(text), level});
                }
                break;
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE: current += cmark_node_get_literal(node); break;
            case CMARK_NODE_SOFTBREAK: current += ' '; break;
            case CMARK_NODE_LINEBREAK: current += '\n'; break;
            case CMARK_NODE_CODE_BLOCK: {
                std::string_view code = cmark_node_get_literal(node);
                while (!code.empty() && text::is_ascii_white_space(code.back()))
                    code.remove_suffix(1);
                if (!text::trim_ascii_white_space(code).empty())
                    blocks.push_back({std::string(code), 0});
                break;
            }
            default: break;
        }
    }
    return blocks;
}

// Where a yaml-cpp mark points: the 1-based line of the file and the byte offset in it, or line 1
// and no offset for a null mark. yaml-cpp reads on past the end of the text for an escape cut
// short there (`"\U]`), and its mark then lies beyond the front matter: it is clamped to the end
// of the YAML, and the line counted from the offset so that the two always agree.
struct YamlPlace {
    std::size_t line = 1;
    std::optional<std::size_t> offset;
};

YamlPlace place_of(const YAML::Mark& mark, const FrontMatter& front, const ReaderInput& input) {
    if (mark.is_null() || mark.pos < 0) return {};
    const std::size_t in_text =
        front.yaml_offset + std::min(static_cast<std::size_t>(mark.pos), front.yaml.size());
    return {line_at(input.text, in_text), input.base_offset + in_text};
}

// The value of a front matter key as text, nullopt when absent or null. A list or a mapping where
// text is expected is reported and ignored, and so is text that is not valid UTF-8: yaml-cpp
// writes the escapes \N and \_ (U+0085, U+00A0) as single bytes.
std::optional<std::string> front_matter_text(const YAML::Node& front_matter, const char* key,
                                             const ReaderInput& input, const FrontMatter& front,
                                             ReadResult& result) {
    const YAML::Node value = front_matter[key];
    if (!value.IsDefined() || value.IsNull()) return std::nullopt;
    if (value.IsScalar() && !text::find_invalid_utf8(value.Scalar())) return value.Scalar();
    const char* problem = value.IsScalar() ? "is not valid UTF-8" : "is not text";
    const YamlPlace place = place_of(value.Mark(), front, input);
    result.warnings.push_back(
        make_warning(input.display_name, place.line, place.offset,
                     "front matter field \"" + std::string(key) + "\" " + problem + ", ignored"));
    result.warnings.back().skipped = false;
    return std::nullopt;
}

// yaml-cpp's message with any byte that is not valid UTF-8 written in hex: some messages quote
// one byte of the offending character (`unknown escape character: ` and the first byte of `é`),
// and a warning must stay valid UTF-8 text.
std::string yaml_message(std::string_view message) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    while (std::optional<std::size_t> bad = text::find_invalid_utf8(message)) {
        const auto byte = static_cast<unsigned char>(message[*bad]);
        out.append(message.substr(0, *bad));
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
        message.remove_prefix(*bad + 1);
    }
    out.append(message);
    return out;
}

// Reads title, date, source and url from the front matter into `document`. Problems become
// warnings; the document is indexed regardless.
void read_front_matter(const FrontMatter& front, const ReaderInput& input, Document& document,
                       ReadResult& result) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(front.yaml));
    } catch (const YAML::Exception& error) {
        const YamlPlace place = place_of(error.mark, front, input);
        result.warnings.push_back(
            make_warning(input.display_name, place.line, place.offset,
                         "malformed front matter, ignored: " + yaml_message(error.msg)));
        result.warnings.back().skipped = false;
        return;
    }
    if (root.IsNull()) return;
    if (!root.IsMap()) {
        result.warnings.push_back(make_warning(input.display_name, 2, std::nullopt,
                                               "front matter is not a mapping of keys to values"));
        result.warnings.back().skipped = false;
        return;
    }
    // Read through a const node: a lookup on a mutable one may add the missing key.
    const YAML::Node& map = root;
    if (auto title = front_matter_text(map, "title", input, front, result)) {
        document.title = text::collapse_layout_white_space(*title);
    }
    if (auto source = front_matter_text(map, "source", input, front, result)) {
        document.source = text::collapse_layout_white_space(*source);
    }
    auto url = front_matter_text(map, "url", input, front, result);
    if (!url) url = front_matter_text(map, "link", input, front, result);
    if (url) document.url = std::string(text::trim_white_space(*url));
    if (auto date = front_matter_text(map, "date", input, front, result)) {
        if (auto iso = normalize_date(*date)) {
            document.date = std::move(*iso);
        } else if (!text::trim_white_space(*date).empty()) {
            const std::size_t line = place_of(map["date"].Mark(), front, input).line;
            result.warnings.push_back(
                make_warning(input.display_name, line, std::nullopt,
                             "unrecognized date \"" + *date + "\", date ignored"));
            result.warnings.back().skipped = false;
        }
    }
}

}  // namespace

ReadResult read_markdown_file(const ReaderInput& input) {
    ReadResult result;
    Document document;
    document.id = input.file_id;
    document.path = input.display_name;

    FrontMatter front = split_front_matter(input.text);
    if (front.opened && !front.closed) {
        // Probably a forgotten closing line; the file is still worth indexing as Markdown.
        result.warnings.push_back(make_warning(input.display_name, 1, input.base_offset,
                                               "front matter has no closing --- line"));
        result.warnings.back().skipped = false;
    } else if (front.closed) {
        read_front_matter(front, input, document, result);
    }

    std::vector<Block> blocks = markdown_blocks(front.markdown);
    if (document.title.empty()) {
        const Block* heading = nullptr;
        for (const Block& block : blocks) {
            if (block.heading_level == 1) {
                heading = &block;
                break;
            }
            if (block.heading_level > 0 && heading == nullptr) heading = &block;
        }
        if (heading != nullptr) {
            document.title = text::collapse_layout_white_space(heading->text);
        } else if (!blocks.empty()) {
            std::string_view text = blocks.front().text;
            DerivedTitle title = title_from_paragraph(text.substr(0, text.find('\n')));
            document.title = std::move(title.text);
        }
    }

    std::vector<std::string> paragraphs;
    paragraphs.reserve(blocks.size());
    for (Block& block : blocks) paragraphs.push_back(std::move(block.text));
    // `# Title` under a front matter title, or a first line taken as the title.
    drop_leading_title(paragraphs, document.title);
    document.body = join_paragraphs(paragraphs);

    add_document_or_skip(result, std::move(document), input, "no text to index");
    return result;
}

}  // namespace trouvere::readers
