#include "server/error_json.h"

#include <nlohmann/json.hpp>

namespace trouvere::server {

std::string error_json(std::string_view message) {
    const nlohmann::json body{{"error", message}};
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace trouvere::server
