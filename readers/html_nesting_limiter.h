// The nesting limiter: a small HTML tokenizer that runs before gumbo and drops the start tags
// that would nest deeper than a limit, so that the parser (whose tree and stack of open elements
// grow with the depth) never holds a page nested without bound.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/limits.h"

namespace trouvere::readers {

/// A page with the start tags that nest too deep removed.
struct FlattenedHtml {
    std::string html;
    /// Offset in the page of the first tag dropped.
    std::size_t first_dropped = 0;
};

/// `html` with the start tags that would nest deeper than `max_depth` removed, so that gumbo
/// never holds a deeper stack of open elements; nullopt for a page within the limit. The scan keeps
/// its own stack of open elements, following the tokenizer (comments, quoted attribute values,
/// raw-text elements) and the tree builder's rule for end tags (pop to the element named, unless a
/// special element is met first) closely enough that its depth is never below gumbo's: where the
/// parser closes elements by itself (a second <a>, <option>), or ignores them, the scan only counts
/// more, which can make it flatten a little early, on pages far deeper than any real one.
/// Self-closing syntax (`<div/>`) is ignored, as HTML ignores it.
[[nodiscard]] std::optional<FlattenedHtml> flatten_deep_nesting(
    std::string_view html, std::size_t max_depth = limits::kMaxHtmlDepth);

}  // namespace trouvere::readers
