#include "core/stored_document.h"

#include <nlohmann/json.hpp>

namespace trouvere::stored {

std::string encode(const Document& document) {
    nlohmann::json header{{"id", document.id}, {"title", document.title}};
    // Empty optional fields are left out: most documents have no url or source.
    if (!document.date.empty()) header["date"] = document.date;
    if (!document.source.empty()) header["source"] = document.source;
    if (!document.url.empty()) header["url"] = document.url;
    if (!document.path.empty()) header["path"] = document.path;
    // dump() escapes newlines inside strings, so the first newline ends the header.
    std::string data = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    data += '\n';
    data += document.body;
    return data;
}

Document decode(std::string_view data, bool with_body) {
    Document document;
    std::size_t newline = data.find('\n');
    auto header = nlohmann::json::parse(data.substr(0, newline), nullptr, false);
    if (!header.is_object()) return document;
    auto field = [&header](const char* name) {
        auto found = header.find(name);
        return found != header.end() && found->is_string() ? found->get<std::string>()
                                                           : std::string();
    };
    document.id = field("id");
    document.title = field("title");
    document.date = field("date");
    document.source = field("source");
    document.url = field("url");
    document.path = field("path");
    if (with_body && newline != std::string_view::npos) document.body = data.substr(newline + 1);
    return document;
}

}  // namespace trouvere::stored
