#pragma once

#include <string>
#include <string_view>

namespace trouvere::server {

/// The body of every error response of `search serve`: `{"error": message}` and a newline, as
/// `search --json` ends its line. Invalid UTF-8 in `message` is replaced.
[[nodiscard]] std::string error_json(std::string_view message);

}  // namespace trouvere::server
