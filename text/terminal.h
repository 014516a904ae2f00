#pragma once

#include <string>
#include <string_view>

namespace trouvere::text {

/// Appends `text` to `out` as trouvere::terminal_safe (trouvere/snippet.h) returns it.
void append_terminal_safe(std::string& out, std::string_view text);

}  // namespace trouvere::text
