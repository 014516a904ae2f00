#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "trouvere/export.h"

namespace trouvere {

/// A marked word in a snippet: byte offsets into Snippet::text.
struct Highlight {
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// A passage of a document around the words a query matched. `text` is plain UTF-8 and starts or
/// ends with `…` where the document was cut; `highlights` are sorted and do not overlap.
struct Snippet {
    std::string text;
    std::vector<Highlight> highlights;
};

/// HTML-escaped text with every highlight wrapped in `<mark>…</mark>`.
[[nodiscard]] TROUVERE_EXPORT std::string to_html(const Snippet& snippet);

/// Text with every highlight wrapped in `open`…`close` (for example ANSI colour codes); the text
/// itself is not escaped.
[[nodiscard]] TROUVERE_EXPORT std::string to_marked_text(const Snippet& snippet,
                                                         std::string_view open,
                                                         std::string_view close);

/// As to_marked_text, with the text made terminal_safe: for printing snippets to a terminal.
[[nodiscard]] TROUVERE_EXPORT std::string to_terminal_text(const Snippet& snippet,
                                                           std::string_view open,
                                                           std::string_view close);

/// `text` with nothing left that a terminal would obey: indexed text may hold escape sequences
/// (`ESC[2J` clears the screen, OSC 52 writes the clipboard), and printing it raw would let a
/// document drive the reader's terminal. Tab, newline and carriage return become a space; other
/// C0 controls and DEL become their visible Unicode symbol (ESC is `␛`, U+241B); C1 controls
/// (U+0080–U+009F, among them the one-character CSI) and invalid UTF-8 become U+FFFD.
[[nodiscard]] TROUVERE_EXPORT std::string terminal_safe(std::string_view text);

}  // namespace trouvere
