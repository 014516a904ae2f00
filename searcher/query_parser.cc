// The query parser: turns what a user types into the engine-neutral tree of trouvere/query.h.
//
// Grammar, loosest binding first:
//
//   query    := or_expr
//   or_expr  := and_expr ( "OR" and_expr )*     an `any` node when there are several operands
//   and_expr := group ( "AND" group )*          an `all` node when there are several operands
//   group    := item+                           a `group` of juxtaposed items
//   item     := prefix* atom
//   prefix   := "NOT" | "+" | "-" | FIELD ":"
//   atom     := "(" or_expr ")" | quoted phrase | date | word
//   date     := "date:" VALUE
//
// - AND, OR and NOT are operators only in upper case and as whole words. `et`, `ou`, `and`, `Not`
//   are words, and so is an operator glued to a sign or a field (`-AND`, `title:OR`).
// - `+` and `-` count only at the start of a word and must be glued to what they mark (an atom or
//   a field): inside a word they are text (`porte-parole`, `c++`), and a sign followed by a space
//   is dropped. NOT and `-` give Occur::must_not, `+` gives Occur::must; NOT wins over `+`.
// - FIELD is `title` or `titre`, in any case, at the start of a word; spaces may follow the colon.
//   It applies to every word and phrase of its atom, parenthesised ones included. Any other
//   `name:` (`http://x`, `foo:bar`, `12:30`) is part of a word.
// - `date:`, in any case, at the start of a word, takes as its value what follows the colon (after
//   any spaces) up to the next space or parenthesis: `date:2024-07`, `date:2024-01..2024-06`. The
//   parser keeps the value as typed; the searcher reads it as dates and refuses a malformed one.
//   A `date:` without a value is dropped with a warning.
// - A phrase is delimited by "…", « … » or “ … ”; its text is what lies between, trimmed.
// - Space is Unicode's White_Space (text/white_space.h): ASCII's, the no-break and typographic
//   spaces French puts inside « guillemets » and numbers, the ideographic space and the rest.
// - Juxtaposed plain words (no prefix, nothing but spaces between them) make ONE `words` node
//   whose text is the input from the first word's start to the last word's end, spacing
//   included: the parser does no analysis, and the analyser must see `25 000` whole to join it.
//
// Shape of the tree:
// - A group whose only child has Occur::should is replaced by that child; an `all` or `any` with a
//   single operand is replaced by it, and an `all` inside an `all` (or `any` inside `any`) is
//   flattened, both being associative. Groups are never merged: exclusions in an inner group
//   only restrict that group.
// - Occur other than should therefore appears only on children of a group, and the root's occur
//   is always should. Field is set on words and phrase nodes only.
// - A query with nothing usable left (empty, blank, only repaired-away parts) is an empty group.
//
// Repairs: malformed input never throws. Every repair adds a short warning, each distinct warning
// once. Invalid UTF-8 and control bytes become spaces before anything else, so every text in the
// tree is valid UTF-8 (the tools print it as JSON). Parentheses are matched while lexing: an
// unmatched `)` is dropped, and so are pairs nested deeper than kMaxParenDepth, which bounds the
// parser's recursion; chains of prefixes are read by a loop, so `NOT NOT …` cannot recurse either.

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/ascii.h"
#include "text/utf8.h"
#include "text/white_space.h"
#include "trouvere/query.h"

namespace trouvere {

namespace {

inline constexpr std::size_t kMaxParenDepth = 100;

struct Quote {
    std::string_view open;
    std::string_view close;
};

/// Phrase delimiters. A phrase closes only with the closer of its own opener, so that
/// « il a dit “oui” » keeps its inner quotes.
inline constexpr std::array<Quote, 3> kQuotes{{
    {"\"", "\""},
    {"\xC2\xAB", "\xC2\xBB"},          // « »
    {"\xE2\x80\x9C", "\xE2\x80\x9D"},  // “ ”
}};

const Quote* quote_at(std::string_view text, std::size_t i) {
    for (const Quote& quote : kQuotes) {
        if (text.substr(i).starts_with(quote.open)) return &quote;
    }
    return nullptr;
}

/// Field prefixes, in lower case; `titre:` is the French spelling of `title:`.
inline constexpr std::array<std::string_view, 2> kTitlePrefixes{"title:", "titre:"};

inline constexpr std::string_view kDatePrefix = "date:";

/// Whether `prefix` (in lower case) starts at `i`, in any case.
bool prefix_at(std::string_view text, std::size_t i, std::string_view prefix) {
    if (text.size() - i < prefix.size()) return false;
    for (std::size_t k = 0; k < prefix.size(); ++k) {
        if (text::lower_ascii(text[i + k]) != prefix[k]) return false;
    }
    return true;
}

/// The title prefix starting at `i`, in lower case, or an empty view.
std::string_view title_prefix_at(std::string_view text, std::size_t i) {
    for (std::string_view prefix : kTitlePrefixes) {
        if (prefix_at(text, i, prefix)) return prefix;
    }
    return {};
}

enum class LexemeKind {
    word,
    phrase,
    open_paren,
    close_paren,
    plus,
    minus,
    field,
    date,
    op_and,
    op_or,
    op_not,
};

/// A unit of the query language: a word, a phrase, a parenthesis, a sign, a field prefix or an
/// operator. Named apart from trouvere::Token, a word of the analysed text.
struct Lexeme {
    LexemeKind kind = LexemeKind::word;
    /// Byte range of the whole lexeme in the cleaned input.
    std::size_t begin = 0;
    std::size_t end = 0;
    /// A word as typed, a phrase's trimmed content, a field prefix in lower case, or a date's
    /// value.
    std::string_view text;
    /// Rank in the lexed sequence. Lexemes dropped while lexing leave a gap in the ranks, which
    /// keeps the words on either side from being merged as if they were juxtaposed.
    std::size_t rank = 0;
    /// For a phrase: its closing quote was found.
    bool closed = true;
};

bool starts_atom(LexemeKind kind) {
    return kind == LexemeKind::word || kind == LexemeKind::phrase ||
           kind == LexemeKind::open_paren || kind == LexemeKind::date;
}

void set_field(QueryNode& node, Field field) {
    if (node.kind == QueryNode::Kind::words || node.kind == QueryNode::Kind::phrase) {
        node.field = field;
        return;
    }
    for (QueryNode& child : node.children) set_field(child, field);
}

/// `all` or `any` of `operands`, flattening operands of the same kind.
std::optional<QueryNode> combine(QueryNode::Kind kind, std::vector<QueryNode> operands) {
    if (operands.empty()) return std::nullopt;
    if (operands.size() == 1) return std::move(operands.front());
    QueryNode node;
    node.kind = kind;
    for (QueryNode& operand : operands) {
        if (operand.kind == kind) {
            for (QueryNode& child : operand.children) node.children.push_back(std::move(child));
        } else {
            node.children.push_back(std::move(operand));
        }
    }
    return node;
}

class Parser {
public:
    explicit Parser(std::string_view input) { clean(input); }
    ~Parser() = default;
    // Lexemes view `input_`, which a copy or move could relocate.
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    ParsedQuery parse() {
        lex();
        ParsedQuery result;
        // Lexing dropped every unmatched ')', so the top-level expression reaches the end.
        if (std::optional<QueryNode> root = parse_or()) result.root = std::move(*root);
        result.warnings = std::move(warnings_);
        return result;
    }

private:
    void warn(std::string message) {
        for (const std::string& warning : warnings_) {
            if (warning == message) return;
        }
        warnings_.push_back(std::move(message));
    }

    /// Copies `input` to `input_` with invalid UTF-8 and control bytes turned into spaces.
    void clean(std::string_view input) {
        input_.reserve(input.size());
        bool invalid = false;
        bool control = false;
        for (std::size_t i = 0; i < input.size();) {
            const std::size_t length = text::valid_sequence_length(input, i);
            if (length == 0) {
                invalid = true;
                input_ += ' ';
                ++i;
                continue;
            }
            const auto byte = static_cast<unsigned char>(input[i]);
            if (length == 1 && (byte < 0x20 || byte == 0x7F) &&
                !text::is_ascii_white_space(input[i])) {
                control = true;
                input_ += ' ';
            } else {
                input_.append(input.substr(i, length));
            }
            i += length;
        }
        if (invalid) warn("invalid utf-8 treated as spaces");
        if (control) warn("control characters treated as spaces");
    }

    void lex() {
        std::size_t rank = 0;
        std::size_t depth = 0;
        const std::string_view input = input_;
        for (std::size_t i = 0; i < input.size();) {
            if (const std::size_t length = text::white_space_length(input, i)) {
                i += length;
                continue;
            }
            Lexeme lexeme;
            lexeme.begin = i;
            lexeme.rank = rank++;
            const char c = input[i];
            if (c == '(' || c == ')' || c == '+' || c == '-') {
                lexeme.kind = c == '('   ? LexemeKind::open_paren
                              : c == ')' ? LexemeKind::close_paren
                              : c == '+' ? LexemeKind::plus
                                         : LexemeKind::minus;
                lexeme.end = i + 1;
            } else if (const Quote* quote = quote_at(input, i)) {
                lexeme.kind = LexemeKind::phrase;
                const std::size_t content = i + quote->open.size();
                const std::size_t close = input.find(quote->close, content);
                lexeme.closed = close != std::string_view::npos;
                const std::size_t content_end = lexeme.closed ? close : input.size();
                lexeme.text = text::trim_white_space(input.substr(content, content_end - content));
                lexeme.end = lexeme.closed ? close + quote->close.size() : input.size();
            } else if (prefix_at(input, i, kDatePrefix)) {
                lexeme.kind = LexemeKind::date;
                std::size_t value = i + kDatePrefix.size();
                while (const std::size_t length = text::white_space_length(input, value)) {
                    value += length;
                }
                lexeme.end = word_end(input, value);
                lexeme.text = input.substr(value, lexeme.end - value);
                if (lexeme.text.empty()) {
                    warn("'date:' with nothing after it ignored");
                    i = lexeme.end;
                    continue;
                }
            } else if (const std::string_view prefix = title_prefix_at(input, i); !prefix.empty()) {
                lexeme.kind = LexemeKind::field;
                lexeme.text = prefix;
                lexeme.end = i + prefix.size();
            } else {
                lexeme.end = word_end(input, i + 1);
                lexeme.text = input.substr(i, lexeme.end - i);
                lexeme.kind = word_kind(lexeme);
            }
            i = lexeme.end;
            if (lexeme.kind == LexemeKind::open_paren) {
                ++depth;
                if (depth > kMaxParenDepth) {
                    warn("parentheses nested deeper than " + std::to_string(kMaxParenDepth) +
                         " levels: inner ones ignored");
                    continue;
                }
            } else if (lexeme.kind == LexemeKind::close_paren) {
                if (depth == 0) {
                    warn("unmatched ')' ignored");
                    continue;
                }
                // It closes a parenthesis dropped for being nested too deep.
                if (depth-- > kMaxParenDepth) continue;
            }
            lexemes_.push_back(lexeme);
        }
    }

    /// Where a word that goes on at `i` ends: at a space, a parenthesis or a quote.
    static std::size_t word_end(std::string_view input, std::size_t i) {
        while (i < input.size() && text::white_space_length(input, i) == 0 && input[i] != '(' &&
               input[i] != ')' && quote_at(input, i) == nullptr) {
            ++i;
        }
        return i;
    }

    /// AND, OR and NOT are operators only as whole upper-case words, not glued to a sign or field.
    [[nodiscard]] LexemeKind word_kind(const Lexeme& lexeme) const {
        if (!lexemes_.empty()) {
            const Lexeme& previous = lexemes_.back();
            const bool prefix = previous.kind == LexemeKind::plus ||
                                previous.kind == LexemeKind::minus ||
                                previous.kind == LexemeKind::field;
            if (prefix && previous.end == lexeme.begin) return LexemeKind::word;
        }
        if (lexeme.text == "AND") return LexemeKind::op_and;
        if (lexeme.text == "OR") return LexemeKind::op_or;
        if (lexeme.text == "NOT") return LexemeKind::op_not;
        return LexemeKind::word;
    }

    /// Where `text`, a view of `input_`, starts in it: cleaning keeps every byte in place, so
    /// that is where it starts in the input too.
    [[nodiscard]] std::size_t offset_of(std::string_view text) const {
        return static_cast<std::size_t>(text.data() - input_.data());
    }

    [[nodiscard]] const Lexeme* peek() const {
        return next_ < lexemes_.size() ? &lexemes_[next_] : nullptr;
    }

    [[nodiscard]] bool at(LexemeKind kind) const {
        return next_ < lexemes_.size() && lexemes_[next_].kind == kind;
    }

    std::optional<QueryNode> parse_or() {
        return parse_operator(LexemeKind::op_or, "OR", QueryNode::Kind::any,
                              [this] { return parse_and(); });
    }

    std::optional<QueryNode> parse_and() {
        return parse_operator(LexemeKind::op_and, "AND", QueryNode::Kind::all,
                              [this] { return parse_group(); });
    }

    /// operand ( OP operand )*, dropping each OP that lacks an operand on either side.
    template <typename ParseOperand>
    std::optional<QueryNode> parse_operator(LexemeKind op, std::string_view name,
                                            QueryNode::Kind kind, ParseOperand parse_operand) {
        const std::string quoted = "'" + std::string(name) + "'";
        std::vector<QueryNode> operands;
        // An operator was read after an operand and still waits for the next one.
        bool pending = false;
        while (true) {
            if (std::optional<QueryNode> operand = parse_operand()) {
                operands.push_back(std::move(*operand));
                pending = false;
            }
            if (!at(op)) break;
            if (operands.empty()) {
                warn(quoted + " with nothing before it ignored");
            } else if (pending) {
                warn("repeated " + quoted + " ignored");
            }
            ++next_;
            pending = !operands.empty();
        }
        if (pending) warn(quoted + " with nothing after it ignored");
        return combine(kind, std::move(operands));
    }

    std::optional<QueryNode> parse_group() {
        std::vector<QueryNode> children;
        while (const Lexeme* lexeme = peek()) {
            if (lexeme->kind == LexemeKind::op_and || lexeme->kind == LexemeKind::op_or ||
                lexeme->kind == LexemeKind::close_paren) {
                break;
            }
            if (lexeme->kind == LexemeKind::word) {
                children.push_back(parse_words());
            } else if (std::optional<QueryNode> item = parse_item()) {
                children.push_back(std::move(*item));
            }
        }
        if (children.empty()) return std::nullopt;
        if (children.size() == 1 && children.front().occur == Occur::should) {
            return std::move(children.front());
        }
        QueryNode group;
        group.kind = QueryNode::Kind::group;
        group.children = std::move(children);
        return group;
    }

    /// A run of juxtaposed plain words, as one node holding the input they span.
    QueryNode parse_words() {
        const Lexeme& first = lexemes_[next_++];
        const Lexeme* last = &first;
        while (at(LexemeKind::word) && lexemes_[next_].rank == last->rank + 1) {
            last = &lexemes_[next_++];
        }
        QueryNode node;
        node.kind = QueryNode::Kind::words;
        node.text = input_.substr(first.begin, last->end - first.begin);
        node.offset = first.begin;
        return node;
    }

    /// prefix* atom. Called on a lexeme that starts an item, so it always consumes something.
    std::optional<QueryNode> parse_item() {
        bool negated = false;
        bool required = false;
        bool after_not = false;
        std::string_view field;
        while (const Lexeme* lexeme = peek()) {
            if (lexeme->kind == LexemeKind::op_not) {
                negated = after_not = true;
            } else if (lexeme->kind == LexemeKind::field) {
                field = lexeme->text;
            } else if (lexeme->kind == LexemeKind::plus || lexeme->kind == LexemeKind::minus) {
                const bool minus = lexeme->kind == LexemeKind::minus;
                const Lexeme* next = next_ + 1 < lexemes_.size() ? &lexemes_[next_ + 1] : nullptr;
                if (next != nullptr && next->begin == lexeme->end &&
                    (starts_atom(next->kind) || next->kind == LexemeKind::field)) {
                    (minus ? negated : required) = true;
                } else {
                    warn(minus ? "lone '-' ignored" : "lone '+' ignored");
                }
            } else if (starts_atom(lexeme->kind)) {
                std::optional<QueryNode> node = parse_atom();
                if (!node) return std::nullopt;
                if (!field.empty()) set_field(*node, Field::title);
                node->occur = negated ? Occur::must_not : required ? Occur::must : Occur::should;
                return node;
            } else {
                break;
            }
            ++next_;
        }
        if (after_not) warn("'NOT' with nothing after it ignored");
        if (!field.empty()) warn("'" + std::string(field) + "' with nothing after it ignored");
        return std::nullopt;
    }

    std::optional<QueryNode> parse_atom() {
        const Lexeme& lexeme = lexemes_[next_++];
        QueryNode node;
        switch (lexeme.kind) {
            case LexemeKind::word:
                node.kind = QueryNode::Kind::words;
                node.text = lexeme.text;
                node.offset = offset_of(lexeme.text);
                return node;
            case LexemeKind::date:
                node.kind = QueryNode::Kind::date;
                node.text = lexeme.text;
                node.offset = offset_of(lexeme.text);
                return node;
            case LexemeKind::phrase:
                if (lexeme.text.empty()) {
                    warn(lexeme.closed ? "empty phrase ignored" : "unbalanced quote ignored");
                    return std::nullopt;
                }
                if (!lexeme.closed) warn("unbalanced quote: closed at end of query");
                node.kind = QueryNode::Kind::phrase;
                node.text = lexeme.text;
                node.offset = offset_of(lexeme.text);
                return node;
            default: {  // an open parenthesis, the only other lexeme that starts an atom
                std::optional<QueryNode> inner = parse_or();
                const bool closed = at(LexemeKind::close_paren);
                if (closed) {
                    ++next_;
                } else {
                    warn("unbalanced parenthesis: closed at end of query");
                }
                if (!inner && closed) warn("empty parentheses ignored");
                return inner;
            }
        }
    }

    std::string input_;
    std::vector<Lexeme> lexemes_;
    std::size_t next_ = 0;
    std::vector<std::string> warnings_;
};

void append_quoted(std::string& out, std::string_view text) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (byte < 0x20 || byte == 0x7F) {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

void append_node(std::string& out, const QueryNode& node) {
    if (node.occur == Occur::must) out += '+';
    if (node.occur == Occur::must_not) out += '-';
    if (node.field == Field::title) out += "title:";
    switch (node.kind) {
        case QueryNode::Kind::words: append_quoted(out, node.text); return;
        case QueryNode::Kind::phrase:
            out += "(phrase ";
            append_quoted(out, node.text);
            out += ')';
            return;
        case QueryNode::Kind::date:
            out += "(date ";
            append_quoted(out, node.text);
            out += ')';
            return;
        case QueryNode::Kind::group: out += "(group"; break;
        case QueryNode::Kind::all: out += "(all"; break;
        case QueryNode::Kind::any: out += "(any"; break;
    }
    for (const QueryNode& child : node.children) {
        out += ' ';
        append_node(out, child);
    }
    out += ')';
}

}  // namespace

ParsedQuery parse_query(std::string_view input) {
    return Parser(input).parse();
}

std::string to_string(const QueryNode& node) {
    std::string out;
    append_node(out, node);
    return out;
}

}  // namespace trouvere
