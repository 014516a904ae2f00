#include "trouvere/database_path.h"

#include <cstdlib>

#include "trouvere/error.h"

namespace trouvere {

namespace {

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

std::string default_database_path() {
    if (auto explicit_db = environment("SEARCH_DB"); !explicit_db.empty()) return explicit_db;
    // XDG Base Directory: an index is data the user made, not cache or configuration.
    if (auto data_home = environment("XDG_DATA_HOME"); !data_home.empty()) {
        return data_home + "/trouvere/index";
    }
    if (auto home = environment("HOME"); !home.empty())
        return home + "/.local/share/trouvere/index";
    throw Error("no database given: use --db PATH, or set SEARCH_DB or HOME");
}

std::string resolve_database_path(std::string_view explicit_path) {
    return explicit_path.empty() ? default_database_path() : std::string(explicit_path);
}

}  // namespace trouvere
