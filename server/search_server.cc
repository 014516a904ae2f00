// Routing and parameters of `search serve`: each route reads its parameters, asks the library,
// and answers with the library's JSON; every limit is in server_limits.h.

#include "server/search_server.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/error_json.h"
#include "server/search_page.h"
#include "server/server_limits.h"
#include "text/utf8.h"
#include "trouvere/error.h"
#include "trouvere/searcher.h"

namespace trouvere::server {

namespace {

// A request the server refuses before asking the library: 400, with this message.
class BadRequest : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// JSON answers load nothing and may not be framed.
constexpr const char* kJsonSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

// `body`, a line of JSON with its newline, moved rather than copied.
void answer_line(httplib::Response& response, int status, std::string body) {
    response.status = status;
    response.set_header("Content-Security-Policy", kJsonSecurityPolicy);
    response.set_header("Content-Type", "application/json");
    response.body = std::move(body);
}

// `json` and a newline, as `search --json` ends its line.
void answer_json(httplib::Response& response, int status, std::string json) {
    json += '\n';
    answer_line(response, status, std::move(json));
}

void answer_error(httplib::Response& response, int status, std::string_view message) {
    answer_line(response, status, error_json(message));
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// `encoded` percent-decoded, `+` read as a space where `plus_is_space` (a query string, as forms
// and URLSearchParams write it). Throws BadRequest, naming the part as `what`, on a `%` not
// followed by two hexadecimal digits or on bytes that are not UTF-8.
std::string decoded(std::string_view encoded, bool plus_is_space, const std::string& what) {
    std::string text;
    text.reserve(encoded.size());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '%') {
            const bool two_follow = i + 2 < encoded.size();
            const int high = two_follow ? hex_digit(encoded[i + 1]) : -1;
            const int low = two_follow ? hex_digit(encoded[i + 2]) : -1;
            if (high < 0 || low < 0) {
                throw BadRequest(what + ": bad percent-encoding at '" +
                                 std::string(encoded.substr(i, 3)) + "'");
            }
            text += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            text += plus_is_space && encoded[i] == '+' ? ' ' : encoded[i];
        }
    }
    if (!text::is_valid_utf8(text)) throw BadRequest(what + ": not valid UTF-8");
    return text;
}

// The parameters of a request target's query string, decoded, in order; each name once.
std::vector<std::pair<std::string, std::string>> parameters_of(std::string_view target) {
    std::vector<std::pair<std::string, std::string>> parameters;
    const std::size_t question = target.find('?');
    if (question == std::string_view::npos) return parameters;
    std::set<std::string> seen;
    std::string_view rest = target.substr(question + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view piece = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (piece.empty()) continue;
        const std::size_t equals = piece.find('=');
        std::string name = decoded(piece.substr(0, equals), true, "parameter name");
        std::string value = equals == std::string_view::npos
                                ? std::string()
                                : decoded(piece.substr(equals + 1), true, name);
        if (!seen.insert(name).second) throw BadRequest(name + ": given more than once");
        parameters.emplace_back(std::move(name), std::move(value));
    }
    return parameters;
}

// The path of a request target, before its query string.
std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

// /search: the options of `search --json`, under the names SearchOptions and set_search_option
// give them, and `q`.
void answer_search(const httplib::Request& request, httplib::Response& response,
                   SearcherPool& searchers) {
    SearchOptions options;
    std::optional<std::string> query;
    for (const auto& [name, value] : parameters_of(request.target)) {
        if (name == "q") {
            query = value;
            continue;
        }
        try {
            set_search_option(options, name, value);
        } catch (const QueryError& error) {
            throw BadRequest(name + ": " + error.what());
        }
    }
    if (!query) throw BadRequest("q: missing; give the query as /search?q=words");
    if (options.limit > limits::kMaxPageHits) {
        throw BadRequest("limit: at most " + std::to_string(limits::kMaxPageHits) +
                         " hits a page over HTTP, not " + std::to_string(options.limit) +
                         "; page with offset");
    }
    if (options.snippet_chars > limits::kMaxSnippetChars) {
        throw BadRequest("snippet_chars: at most " + std::to_string(limits::kMaxSnippetChars) +
                         " over HTTP, not " + std::to_string(options.snippet_chars));
    }
    const SearcherPool::Lease searcher = searchers.acquire();
    answer_json(response, 200, to_json(searcher->search(*query, options)));
}

// /documents/ID: the id percent-decoded from the raw path, so that an id holding `/` or `?` can
// be asked for (`/documents/a%2Fb.txt`) and nothing is read as a file: ids are keys.
void answer_document(const httplib::Request& request, httplib::Response& response,
                     SearcherPool& searchers) {
    constexpr std::string_view kPrefix = "/documents/";
    const std::string id =
        decoded(path_of(request.target).substr(kPrefix.size()), false, "document id");
    const SearcherPool::Lease searcher = searchers.acquire();
    const std::optional<Document> document = searcher->document(id);
    if (!document) {
        answer_error(response, 404, "no document with id '" + id + "'");
        return;
    }
    answer_json(response, 200, to_json(*document));
}

void answer_health(httplib::Response& response, SearcherPool& searchers) {
    const SearcherPool::Lease searcher = searchers.acquire();
    const nlohmann::ordered_json health{
        {"status", "ok"},
        {"documents", searcher->document_count()},
        {"revision", searcher->revision()},
        {"engine", search_engine_name(searcher->automatic_engine())}};
    answer_json(response, 200, health.dump());
}

void answer_page(httplib::Response& response) {
    response.status = 200;
    response.set_header("Content-Security-Policy", std::string(kSearchPageSecurityPolicy));
    response.set_header("Cache-Control", "no-cache");
    response.set_content(std::string(kSearchPage), "text/html; charset=utf-8");
}

// A route's answer, with the library's errors turned into their statuses.
template <typename Answer>
httplib::Server::Handler answering(Answer answer) {
    return [answer](const httplib::Request& request, httplib::Response& response) {
        try {
            answer(request, response);
        } catch (const BadRequest& error) {
            answer_error(response, 400, error.what());
        } catch (const QueryError& error) {
            answer_error(response, 400, error.what());
        } catch (const DatabaseError& error) {
            answer_error(response, 503, error.what());
        }
    };
}

}  // namespace

void add_search_routes(HttpServer& http, SearcherPool& searchers) {
    // Responses are compressed when the client asks: caches keep them apart by that.
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"},
                              {"Vary", "Accept-Encoding"}});
    http.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
        if (request.method == "GET" || request.method == "HEAD") {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        response.set_header("Allow", "GET, HEAD");
        answer_error(response, 405, request.method + " is not answered here: only GET and HEAD");
        return httplib::Server::HandlerResponse::Handled;
    });
    http.Get("/", answering([](const httplib::Request&, httplib::Response& response) {
                 answer_page(response);
             }));
    http.Get("/search",
             answering([&searchers](const httplib::Request& request, httplib::Response& response) {
                 answer_search(request, response, searchers);
             }));
    http.Get("/documents/.+",
             answering([&searchers](const httplib::Request& request, httplib::Response& response) {
                 answer_document(request, response, searchers);
             }));
    http.Get("/health",
             answering([&searchers](const httplib::Request&, httplib::Response& response) {
                 answer_health(response, searchers);
             }));
    // Statuses cpp-httplib sets itself (no route, a malformed request, a request line past its
    // limit) get a JSON body too; the routes' own errors have theirs.
    http.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty()) return;
        if (response.status == 404) {
            answer_error(response, 404,
                         "nothing at " + std::string(path_of(request.target)) +
                             ": the routes are /, /search?q=…, /documents/ID and /health");
        } else if (response.status == 414) {
            answer_error(response, 414,
                         "request line longer than " +
                             std::to_string(limits::kMaxRequestLineBytes) + " bytes");
        } else {
            answer_error(response, response.status, "malformed request");
        }
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr failure) {
            std::string message = "internal error";
            try {
                std::rethrow_exception(std::move(failure));
            } catch (const std::exception& error) {
                message += ": ";
                message += error.what();
            } catch (...) {
            }
            answer_error(response, 500, message);
        });
}

}  // namespace trouvere::server
