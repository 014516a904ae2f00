// The nesting limiter's tokenizer: what it takes for a tag, what it skips as text, and how deep it
// lets a page nest. Most cases use a limit of 3 so that the pages stay readable.

#include "readers/html_nesting_limiter.h"

#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"

using trouvere::readers::flatten_deep_nesting;
using trouvere::readers::FlattenedHtml;

namespace {

constexpr std::size_t kDepth = 3;

std::string repeat(std::string_view piece, std::size_t times) {
    std::string repeated;
    for (std::size_t i = 0; i < times; ++i) repeated += piece;
    return repeated;
}

struct Case {
    std::string_view what;
    std::string html;
    std::string flattened;
    std::size_t first_dropped = 0;
};

// Pages past the limit: each flattened as given, the first tag dropped at the offset given.
void check_flattened(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        INFO(c.what << ": " << c.html);
        const std::optional<FlattenedHtml> out = flatten_deep_nesting(c.html, kDepth);
        REQUIRE(out.has_value());
        CHECK(out->html == c.flattened);
        CHECK(out->first_dropped == c.first_dropped);
    }
}

// Pages within the limit, left alone.
void check_within_limit(const std::vector<std::string_view>& pages) {
    for (std::string_view page : pages) {
        INFO(page);
        CHECK_FALSE(flatten_deep_nesting(page, kDepth).has_value());
    }
}

}  // namespace

TEST_CASE(
    "nesting: start tags past the limit are dropped, their text and end tags kept, and end "
    "tags close what they name unless a special element stands between",
    "[readers]") {
    check_flattened({
        {"one past", "<div><div><div><div>x</div></div></div></div>",
         "<div><div><div>x</div></div></div></div>", 15},
        {"attributes go with their tag", "<a><b><i><span class=\"s\">x</span>y",
         "<a><b><i>x</span>y", 9},
        {"names in any case", "<DIV><Div><dIv></div></DIV></div><div><div><div><div>",
         "<DIV><Div><dIv></div></DIV></div><div><div><div>", 48},
        {"</b> is ignored: the special <div> stands between", "<b><div></b><div><div>x",
         "<b><div></b><div>x", 17},
    });
    check_within_limit({
        "<div><div><div>x</div></div></div>",            // at the limit
        "<div></div><div></div><div></div><div></div>",  // end tags close what they name
        "<b><i></b><div><div>x",         // </b> closes <i> too: no special element between
        "</div></div><div><div><div>x",  // an end tag with nothing open
    });
}

TEST_CASE("nesting: void elements and elements the parser closes by itself add no depth",
          "[readers]") {
    check_flattened({
        {"self-closing syntax is ignored, as HTML ignores it", "<div/><div/><div/><div/>x",
         "<div/><div/><div/>x", 18},
    });
    check_within_limit({
        "<div><div><br><img src=x><hr><input><div>x",  // void elements
        "<p><p><p><p><p><p>x",                         // unclosed paragraphs
        "<ul><li><li><li><table><tr><td><td>x",        // unclosed list items and cells
    });
}

TEST_CASE("nesting: comments hide tags, and end where the tokenizer ends them", "[readers]") {
    check_flattened({
        {"--!> ends a comment", "<!--<div>--!><div><div><div><div>x",
         "<!--<div>--!><div><div><div>x", 28},
        {"<!--> is an empty comment", "<!--><div><div><div><div>x", "<!--><div><div><div>x", 20},
        {"<!---> is an empty comment", "<!---><div><div><div><div>x", "<!---><div><div><div>x", 21},
    });
    check_within_limit({
        "<!--<div><div><div><div>--><div>x",  // tags in a comment
        "<!--<div><div><div><div>x",          // an unclosed comment runs to the end
    });
}

TEST_CASE("nesting: raw text elements hold no tags", "[readers]") {
    check_flattened({
        {"tags after the raw text count", "<script>x</script><div><div><div><div>x",
         "<script>x</script><div><div><div>x", 33},
        {"inside <svg>, <style> holds markup", "<svg><style><div><div>x", "<svg><style><div>x", 17},
    });
    check_within_limit({
        "<script>'<div><div><div><div>'</script><div>x",  // script
        "<style><div><div><div><div></style>x",           // style
        "<textarea><div><div><div><div></textarea>x",     // textarea
        "<title><div><div><div><div></title>x",           // title
        "<script><div><div><div><div></SCRIPT>x",         // the end tag in any case
        "<plaintext><div><div><div><div>x",               // plaintext: the rest of the page is text
    });
}

TEST_CASE("nesting: a quoted attribute value hides tags and '>'", "[readers]") {
    check_flattened({
        {"'>' in double quotes", R"(<div title="a>b"><div title="c>d"><div><div>x)",
         R"(<div title="a>b"><div title="c>d"><div>x)", 39},
        {"'>' in single quotes", "<div title='>'><div><div><div>x", "<div title='>'><div><div>x",
         25},
        {"space around '='", R"(<div title = "a>b"><div><div><div>x)",
         R"(<div title = "a>b"><div><div>x)", 29},
        {"a quote not after '=' is text", "<a b=c'd><div><div><div>x", "<a b=c'd><div><div>x", 19},
    });
    check_within_limit({
        R"(<div title="<div><div><div>">x)",  // tags in a value
        "<div title=\"<div><div><div>",       // an unclosed quote runs to the end
    });
}

TEST_CASE("nesting: what is not a tag is text", "[readers]") {
    check_flattened({
        {"an unclosed tag at the end", "<div><div><div><div", "<div><div><div>", 15},
        // In HTML content a CDATA section is a bogus comment that ends at the first '>', so the
        // tags after it are tags: counting them too never leaves gumbo deeper than the count.
        {"CDATA outside foreign content", "<![CDATA[<div><div><div><div>]]>",
         "<![CDATA[<div><div><div>]]>", 24},
    });
    check_within_limit({
        "a < b <div><div><div>x",                    // a lone '<'
        "<!DOCTYPE html><?xml x?><div><div><div>x",  // a doctype and a processing instruction
    });
}

TEST_CASE("nesting: a page thousands of elements deep keeps exactly the limit", "[readers]") {
    constexpr std::size_t kNested = 5000;
    const std::string page = repeat("<div>", kNested) + "texte" + repeat("</div>", kNested);
    const std::optional<FlattenedHtml> out = flatten_deep_nesting(page);
    REQUIRE(out.has_value());
    CHECK(out->html ==
          repeat("<div>", trouvere::limits::kMaxHtmlDepth) + "texte" + repeat("</div>", kNested));
    CHECK(out->first_dropped == 5 * trouvere::limits::kMaxHtmlDepth);
    CHECK_FALSE(flatten_deep_nesting(out->html).has_value());
}
