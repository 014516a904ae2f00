#pragma once

#include <string>
#include <string_view>

#include "trouvere/export.h"

namespace trouvere {

/// The database both commands use when none is named: `$SEARCH_DB` if set and non-empty, else
/// `$XDG_DATA_HOME/trouvere/index`, else `$HOME/.local/share/trouvere/index`.
/// Throws Error if none of these variables is set.
[[nodiscard]] TROUVERE_EXPORT std::string default_database_path();

/// `explicit_path` when it is non-empty, else default_database_path().
[[nodiscard]] TROUVERE_EXPORT std::string resolve_database_path(std::string_view explicit_path);

}  // namespace trouvere
