#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/export.h"

namespace trouvere {

/// Where a query part looks.
enum class Field { any, title };

/// The role of a part inside a group of juxtaposed parts.
enum class Occur {
    should,    ///< plain word: all of them preferred, any of them accepted as a fallback
    must,      ///< `+word`
    must_not,  ///< `-word`, `NOT word`
};

/// The engine-neutral query tree the parser produces; each engine translates it.
struct QueryNode {
    enum class Kind {
        words,   ///< `text` as typed (one or more words); analysed into terms by the engine
        phrase,  ///< `text` as typed between quotes; its words must be adjacent and in order
        group,   ///< juxtaposed `children`, each with its own `occur`
        all,     ///< explicit `AND` of `children`
        any,     ///< explicit `OR` of `children`
        date,    ///< `date:` and its value as typed (`2024-07`, `2024-01..2024-06`): a filter
    };

    Kind kind = Kind::group;
    Field field = Field::any;
    Occur occur = Occur::should;
    std::string text;
    /// Where `text` starts in the input parse_query() read, in bytes: a words, phrase or date
    /// node's text is a piece of it, so a word can be changed in place there. 0 in a tree built
    /// in code.
    std::size_t offset = 0;
    std::vector<QueryNode> children;
};

struct ParsedQuery {
    QueryNode root;
    /// Repairs made to malformed input, for the user (`unbalanced quote: closed at end of query`).
    std::vector<std::string> warnings;
};

/// Parses the query syntax (README, "Query syntax"): words, `"phrases"`, `AND`, `OR`, `NOT`
/// (upper case), `+word`, `-word`, parentheses, `title:` and `date:`. A `date:` value is kept as
/// typed; the search checks it (a malformed date is a QueryError). Never throws on malformed input:
/// it repairs what it can and says so in `warnings`; what it cannot use is dropped. The result may
/// be an empty group, which the searcher rejects with QueryError.
[[nodiscard]] TROUVERE_EXPORT ParsedQuery parse_query(std::string_view input);

/// A compact, stable rendering of the tree, for tests and debugging: `(group "kidal" -"lavrov")`.
/// A `words` node is its text in double quotes; a `phrase` is `(phrase "text")`, a `date` is
/// `(date "value")`; `group`, `all` and
/// `any` are `(group …)`, `(all …)` and `(any …)` with their children after the name, separated by
/// spaces. Occur and field prefix a node in that order: `+`, `-`, then `title:`, as in
/// `-title:(phrase "chemin de fer")`. Inside quotes `"` and `\` are escaped with a backslash, and
/// control bytes are written `\n`, `\t`, `\r` or `\xHH`.
[[nodiscard]] TROUVERE_EXPORT std::string to_string(const QueryNode& node);

}  // namespace trouvere
