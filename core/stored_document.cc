#include "core/stored_document.h"

#include <nlohmann/json.hpp>

namespace trouvere::stored {

std::string encode(const Document& document) {
    nlohmann::json record{{"id", document.id}, {"title", document.title}, {"body", document.body}};
    // Empty optional fields are left out: most documents have no url or source.
    if (!document.date.empty()) record["date"] = document.date;
    if (!document.source.empty()) record["source"] = document.source;
    if (!document.url.empty()) record["url"] = document.url;
    if (!document.path.empty()) record["path"] = document.path;
    return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Document decode(std::string_view data) {
    Document document;
    auto record = nlohmann::json::parse(data, nullptr, false);
    if (!record.is_object()) return document;
    auto field = [&record](const char* name) {
        auto found = record.find(name);
        return found != record.end() && found->is_string() ? found->get<std::string>()
                                                           : std::string();
    };
    document.id = field("id");
    document.title = field("title");
    document.body = field("body");
    document.date = field("date");
    document.source = field("source");
    document.url = field("url");
    document.path = field("path");
    return document;
}

}  // namespace trouvere::stored
