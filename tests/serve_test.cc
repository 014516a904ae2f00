// `search serve` as a process on a loopback port, spoken to over real sockets: the routes, their
// errors, and the limits of server/server_limits.h.

#include <httplib.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/serve_support.h"
#include "tests/test_support.h"
#include "trouvere/searcher.h"

namespace {

using trouvere::testing::http_get;
using trouvere::testing::HttpReply;
using trouvere::testing::RawConnection;
using trouvere::testing::run_process;
using trouvere::testing::served_db;
using trouvere::testing::ServeProcess;
using trouvere::testing::TempDir;
using trouvere::testing::url_encoded;

const std::string kSearch = TROUVERE_SEARCH_BIN;
const std::string kSearchIndex = TROUVERE_SEARCH_INDEX_BIN;

nlohmann::json json_of(const std::optional<HttpReply>& reply) {
    REQUIRE(reply);
    INFO(reply->body);
    return nlohmann::json::parse(reply->body);
}

}  // namespace

TEST_CASE("/search answers what search --json prints for the same options", "[serve]") {
    ServeProcess server({"--db", served_db()});
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"accord militaire"}, "q=accord+militaire"},
        {{"--limit", "2", "--offset", "1", "Mali"}, "q=Mali&limit=2&offset=1"},
        {{"--sort", "newest", "--facets", "year,source", "Mali"},
         "q=Mali&sort=newest&facets=year%2Csource"},
        {{"--since", "2024-07", "--until", "2024-07-31", "Mali"},
         "q=Mali&since=2024-07&until=2024-07-31"},
        {{"--engine", "xapian", "--snippet-chars", "60", "Kidal"},
         "q=Kidal&engine=xapian&snippet_chars=60"},
        {{"--", "Kidal -Lavrov"}, "q=Kidal%20-Lavrov"},
        // A suggestion, and no hit at all: the command exits 1 and prints the same JSON.
        {{"accrd militaire"}, "q=accrd+militaire"},
        {{"chevaux"}, "q=chevaux"},
        {{"balises"}, "q=balises"},
    };
    for (const auto& [args, query] : cases) {
        INFO("/search?" << query);
        std::vector<std::string> command{"--db", served_db(), "--json"};
        command.insert(command.end(), args.begin(), args.end());
        const auto printed = run_process(kSearch, command);
        REQUIRE(printed.exit_code <= 1);
        const auto reply = http_get(server.port(), "/search?" + query);
        REQUIRE(reply);
        CHECK(reply->status == 200);
        CHECK(reply->header("content-type") == "application/json");
        CHECK(reply->body == printed.out);
    }
}

TEST_CASE("/search refuses a bad query or parameter with 400 and the message search prints",
          "[serve][hostile]") {
    ServeProcess server({"--db", served_db()});
    // The library's own refusals: the command's message, without its `search: ` prefix.
    for (const auto& [query, typed] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"q=accord+date%3A2024-13", {"accord date:2024-13"}},
             {"q=%28%28", {"(("}},
             {"q=accord&since=hier", {"--since", "hier", "accord"}},
             {"q=accord&since=2024-08&until=2024-07",
              {"--since", "2024-08", "--until", "2024-07", "accord"}}}) {
        INFO(query);
        std::vector<std::string> command{"--db", served_db()};
        command.insert(command.end(), typed.begin(), typed.end());
        const auto printed = run_process(kSearch, command);
        REQUIRE(printed.exit_code == 2);
        REQUIRE(printed.err.starts_with("search: "));
        const auto reply = http_get(server.port(), "/search?" + query);
        REQUIRE(reply);
        CHECK(reply->status == 400);
        CHECK(json_of(reply) ==
              nlohmann::json{{"error", printed.err.substr(8, printed.err.size() - 9)}});
    }
    // The parameters, each named in its message.
    const std::vector<std::pair<std::string, std::string>> refused{
        {"q=accord&limit=-1", "limit: a whole number from 1 to 100000, not '-1'"},
        {"q=accord&limit=10000000", "limit: a whole number from 1 to 100000, not '10000000'"},
        {"q=accord&limit=5000",
         "limit: at most 1000 hits a page over HTTP, not 5000; page with offset"},
        {"q=accord&limit=", "limit: a whole number from 1 to 100000, not ''"},
        {"q=accord&offset=1e3", "offset: a whole number, not '1e3'"},
        {"q=accord&snippet_chars=5", "snippet_chars: a whole number from 20 to 100000, not '5'"},
        {"q=accord&snippet_chars=5000", "snippet_chars: at most 2000 over HTTP, not 5000"},
        {"q=accord&sort=popular", "sort: relevance, newest or oldest, not 'popular'"},
        {"q=accord&engine=lucene", "engine: auto, native or xapian, not 'lucene'"},
        {"q=accord&facets=year,auteur",
         "facets: unknown facet 'auteur': choose among year and source"},
        {"q=accord&colour=always",
         "colour: not an option of a search, which takes limit, offset, snippet_chars, sort, "
         "engine, since, until, source, facets and allow_partial"},
        {"q=accord&allow_partial=maybe", "allow_partial: true or false (1 or 0), not 'maybe'"},
        {"limit=5", "q: missing; give the query as /search?q=words"},
        {"q=accord&q=Mali", "q: given more than once"},
        {"q=%E9t%E9", "q: not valid UTF-8"},
        {"q=caf%C3", "q: not valid UTF-8"},
        {"q=%C0%AF", "q: not valid UTF-8"},
        {"q=100%", "q: bad percent-encoding at '%'"},
        {"q=%ZZ", "q: bad percent-encoding at '%ZZ'"},
        {"q=%u00e9", "q: bad percent-encoding at '%u0'"},
        {"q=accord&%FF=1", "parameter name: not valid UTF-8"},
    };
    for (const auto& [query, message] : refused) {
        INFO(query);
        const auto reply = http_get(server.port(), "/search?" + query);
        REQUIRE(reply);
        CHECK(reply->status == 400);
        CHECK(reply->header("content-type") == "application/json");
        CHECK(json_of(reply) == nlohmann::json{{"error", message}});
    }
    CHECK(http_get(server.port(), "/health")->status == 200);
}

TEST_CASE("/documents/ID gives one stored document, an unknown id 404, and ids are only keys",
          "[serve][hostile]") {
    ServeProcess server({"--db", served_db()});
    trouvere::Searcher searcher(served_db());
    for (const std::string id : {"000_dbeda49fb9d40084.txt", "dossier/a b?c#d", "balises"}) {
        INFO(id);
        const auto reply = http_get(server.port(), "/documents/" + url_encoded(id));
        REQUIRE(reply);
        CHECK(reply->status == 200);
        CHECK(reply->body == trouvere::to_json(*searcher.document(id)) + "\n");
    }
    const auto article = nlohmann::ordered_json::parse(
        http_get(server.port(), "/documents/000_dbeda49fb9d40084.txt")->body);
    std::vector<std::string> keys;
    for (const auto& [key, value] : article.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"id", "title", "body", "date", "source", "url", "path"});
    CHECK(article["title"] ==
          "Le Mali renforce ses liens avec la Russie : un important accord militaire ratifié par "
          "le CNT");
    CHECK(article["date"] == "2024-11-22");
    CHECK(article["source"].is_null());
    CHECK(article["path"] ==
          (trouvere::testing::corpus_dir() / "000_dbeda49fb9d40084.txt").string());
    CHECK(article["body"].get<std::string>().starts_with("Au Mali, lors d’une séance plénière"));

    // Each an id that no document has, whatever it looks like as a path.
    for (const auto& [target, id] : std::vector<std::pair<std::string, std::string>>{
             {"/documents/nothing", "nothing"},
             {"/documents/../../etc/passwd", "../../etc/passwd"},
             {"/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "../../etc/passwd"},
             {"/documents//etc/passwd", "/etc/passwd"},
             {"/documents/corpus%00.txt", std::string("corpus\0.txt", 11)}}) {
        INFO(target);
        const auto reply = http_get(server.port(), target);
        REQUIRE(reply);
        CHECK(reply->status == 404);
        CHECK(json_of(reply) == nlohmann::json{{"error", "no document with id '" + id + "'"}});
    }
    const auto bad = http_get(server.port(), "/documents/%FF");
    CHECK(bad->status == 400);
    CHECK(json_of(bad) == nlohmann::json{{"error", "document id: not valid UTF-8"}});
}

TEST_CASE("/health gives the count, revision and engine, and 503 until the database appears",
          "[serve]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    ServeProcess server({"--db", db});
    CHECK_THAT(server.err_so_far(),
               Catch::Contains("search serve: note: no database at " + db) &&
                   Catch::Contains("searches answer 503 until it can be opened"));
    for (const std::string target : {"/health", "/search?q=Kidal", "/documents/a"}) {
        INFO(target);
        const auto reply = http_get(server.port(), target);
        REQUIRE(reply);
        CHECK(reply->status == 503);
        CHECK_THAT(json_of(reply)["error"].get<std::string>(),
                   Catch::StartsWith("no database at " + db));
    }
    // The page needs no database.
    CHECK(http_get(server.port(), "/")->status == 200);

    REQUIRE(run_process(kSearchIndex, {"--db", db, trouvere::testing::corpus_dir().string()})
                .exit_code == 0);
    const auto health = http_get(server.port(), "/health");
    CHECK(health->status == 200);
    CHECK(json_of(health) == nlohmann::json{{"status", "ok"},
                                            {"documents", 5},
                                            {"revision", trouvere::Searcher(db).revision()},
                                            {"engine", "native"}});
    CHECK(http_get(server.port(), "/search?q=Kidal")->status == 200);
}

TEST_CASE("unknown paths get 404, other methods 405, and every error is JSON", "[serve]") {
    ServeProcess server({"--db", served_db()});
    const auto missing = http_get(server.port(), "/nothing?q=1");
    CHECK(missing->status == 404);
    CHECK(json_of(missing) ==
          nlohmann::json{{"error",
                          "nothing at /nothing: the routes are /, /search?q=…, /documents/ID and "
                          "/health"}});
    CHECK(http_get(server.port(), "/documents/")->status == 404);

    for (const std::string method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
        INFO(method);
        RawConnection connection(server.port());
        REQUIRE(connection.send(method +
                                " /search?q=Kidal HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
                                "hello"));
        const auto reply = connection.read_reply();
        REQUIRE(reply);
        CHECK(reply->status == 405);
        CHECK(reply->header("allow") == "GET, HEAD");
        CHECK(json_of(reply) ==
              nlohmann::json{{"error", method + " is not answered here: only GET and HEAD"}});
        // The unread body cannot be told from a next request: the connection ends.
        CHECK(reply->header("connection") == "close");
        CHECK(connection.closed_within(std::chrono::seconds(2)));
    }

    RawConnection garbage(server.port());
    REQUIRE(garbage.send("GET\r\n\r\n"));
    const auto malformed = garbage.read_reply();
    REQUIRE(malformed);
    CHECK(malformed->status == 400);
    CHECK(json_of(malformed) == nlohmann::json{{"error", "malformed request"}});
}

TEST_CASE("responses are gzipped when asked, and connections kept alive and pipelined", "[serve]") {
    ServeProcess server({"--db", served_db()});
    const auto plain = http_get(server.port(), "/search?q=Mali&limit=5");
    REQUIRE(plain);
    CHECK_FALSE(plain->header("content-encoding"));

    httplib::Client client("127.0.0.1", server.port());
    const auto gzipped = client.Get("/search?q=Mali&limit=5", {{"Accept-Encoding", "gzip"}});
    REQUIRE(gzipped);
    CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
    CHECK(gzipped->body == plain->body);

    RawConnection connection(server.port());
    const std::string request = "GET /search?q=Kidal HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int k = 0; k < 3; ++k) {
        REQUIRE(connection.send(request));
        const auto reply = connection.read_reply();
        REQUIRE(reply);
        CHECK(reply->status == 200);
        CHECK(reply->header("keep-alive") == "timeout=5, max=1000");
    }
    // Two requests in one write: two responses, in order.
    REQUIRE(connection.send(request + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto first = connection.read_reply();
    const auto second = connection.read_reply();
    REQUIRE(first);
    REQUIRE(second);
    CHECK(json_of(first)["query"] == "Kidal");
    CHECK(json_of(second)["status"] == "ok");
}

TEST_CASE("search serve prints the port it took, and refuses an address it cannot listen on",
          "[serve]") {
    ServeProcess server({"--db", served_db()});
    CHECK(server.port() > 0);
    const std::string taken = "127.0.0.1:" + std::to_string(server.port());
    const auto second = run_process(kSearch, {"serve", "--db", served_db(), "--listen", taken});
    CHECK(second.exit_code == 2);
    CHECK(second.err == "search serve: cannot listen on 127.0.0.1 port " +
                            std::to_string(server.port()) + ": Address already in use\n");
    for (const auto& [address, message] : std::vector<std::pair<std::string, std::string>>{
             {"localhost:8080",
              "cannot listen on localhost: give a numeric address, such as 127.0.0.1, ::1 or "
              "0.0.0.0"},
             {"127.0.0.1", "--listen: HOST:PORT, not 127.0.0.1"},
             {"127.0.0.1:70000",
              "--listen: HOST:PORT with a port from 0 to 65535, not "
              "127.0.0.1:70000"}}) {
        INFO(address);
        const auto refused = run_process(kSearch, {"serve", "--listen", address});
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.err, Catch::Contains(message));
    }
    // A query of the one word `serve` is searched for after --.
    const auto word = run_process(kSearch, {"--db", served_db(), "--json", "--", "serve"});
    CHECK(word.exit_code == 1);
    CHECK(nlohmann::json::parse(word.out)["query"] == "serve");
}

namespace {

// A figure of /proc/PID/status (`Threads`, `VmRSS`), as the number it starts with.
long proc_status(int pid, const std::string& field) {
    const std::string status =
        trouvere::testing::read_file("/proc/" + std::to_string(pid) + "/status");
    const std::size_t at = status.find("\n" + field + ":");
    REQUIRE(at != std::string::npos);
    return std::stol(status.substr(at + field.size() + 2));
}

using Clock = std::chrono::steady_clock;

}  // namespace

TEST_CASE("searches follow each commit and native index of a search-index loop, none failing",
          "[serve][reload]") {
    TempDir dir;
    const std::string db = (dir.path() / "db").string();
    const std::string docs = (dir.path() / "docs").string();
    std::filesystem::copy(trouvere::testing::corpus_dir(), docs);
    REQUIRE(run_process(kSearchIndex, {"--db", db, "-q", docs}).exit_code == 0);
    ServeProcess server({"--db", db, "--threads", "2"});

    // Two clients search all along, each on a connection it keeps while the server does.
    std::atomic<bool> done{false};
    std::atomic<int> answered{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    auto client = [&] {
        std::optional<RawConnection> connection;
        while (!done) {
            if (!connection) connection.emplace(server.port());
            const bool sent =
                connection->send("GET /search?q=Mali&limit=3 HTTP/1.1\r\nHost: x\r\n\r\n");
            const auto reply = sent ? connection->read_reply() : std::nullopt;
            if (!reply || reply->status != 200) {
                const std::lock_guard lock(failures_mutex);
                failures.push_back(reply ? reply->body : "no response");
                connection.reset();
                continue;
            }
            ++answered;
            if (reply->header("connection") == "close") connection.reset();
        }
    };
    std::vector<std::thread> clients;
    clients.reserve(2);
    for (int k = 0; k < 2; ++k) clients.emplace_back(client);

    // Each run of search-index replaces a document's one new word: once every worker has moved
    // to the commit and to the native index built after it, the new word is found natively and
    // the previous one no more.
    auto answer_to = [&](const std::string& word) {
        const auto reply = http_get(server.port(), "/search?q=" + word);
        REQUIRE(reply);
        REQUIRE(reply->status == 200);
        return nlohmann::json::parse(reply->body);
    };
    std::string previous;
    for (char generation = 'a'; generation <= 'f'; ++generation) {
        const std::string word = std::string("trouvaille") + generation;
        INFO("generation " << word);
        dir.write("docs/nouveau.txt", "Nouveau\n\nUn mot nouveau : " + word + ".\n");
        REQUIRE(run_process(kSearchIndex, {"--db", db, "-q", docs}).exit_code == 0);
        const auto started = Clock::now();
        bool moved = false;
        while (!moved && Clock::now() - started < std::chrono::seconds(5)) {
            const auto json = answer_to(word);
            moved = json["total_estimate"] == 1 && json["engine"] == "native";
            if (!moved) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(moved);
        // Past the reopen interval every searcher has moved.
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        for (int k = 0; k < 6; ++k) {
            const auto json = answer_to(word);
            CHECK(json["total_estimate"] == 1);
            CHECK(json["engine"] == "native");
            if (!previous.empty()) CHECK(answer_to(previous)["total_estimate"] == 0);
        }
        previous = word;
    }
    done = true;
    for (std::thread& each : clients) each.join();
    CHECK(failures.empty());
    CHECK(answered > 100);
    const auto health = nlohmann::json::parse(http_get(server.port(), "/health")->body);
    CHECK(health["revision"] == trouvere::Searcher(db).revision());
    CHECK(health["documents"] == 6);
    CHECK(health["engine"] == "native");
}

TEST_CASE("SIGTERM ends the requests under way, cuts no response short, and exits 0", "[serve]") {
    ServeProcess server({"--db", served_db(), "--threads", "2"});
    std::atomic<int> answered{0};
    std::atomic<int> cut{0};
    auto client = [&] {
        RawConnection connection(server.port());
        const std::string request =
            "GET /search?q=Mali+OR+accord&limit=100&snippet_chars=2000 HTTP/1.1\r\nHost: x\r\n\r\n";
        while (connection.send(request)) {
            const auto reply = connection.read_reply();
            if (!reply) {
                // Closed between two responses is the end; inside one, a response was cut.
                if (connection.partial()) ++cut;
                return;
            }
            CHECK(reply->status == 200);
            ++answered;
        }
    };
    std::vector<std::thread> clients;
    clients.reserve(4);
    for (int k = 0; k < 4; ++k) clients.emplace_back(client);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto stopped = server.stop();
    for (std::thread& each : clients) each.join();
    CHECK(stopped.exit_code == 0);
    CHECK_THAT(stopped.err, Catch::EndsWith("search serve: stopped\n"));
    CHECK(cut == 0);
    CHECK(answered > 0);
}

TEST_CASE("an oversized request line or head gets 414 or 431, and the server goes on",
          "[serve][hostile]") {
    ServeProcess server({"--db", served_db()});
    const std::string head_limit = "request head longer than 32768 bytes";
    const std::string line_limit = "request line longer than 8192 bytes";
    std::string many_headers;
    for (int k = 0; k < 5000; ++k) many_headers += "X-" + std::to_string(k) + ": 1\r\n";
    // Past the head's limit the server answers once it has read that much, closes, and drops
    // the rest as it comes; a request line over 8 KiB in a head within it, cpp-httplib refuses
    // and reads the next request.
    const std::vector<std::tuple<std::string, std::string, int, std::string, bool>> cases{
        {"a query of 100 KB", "GET /search?q=" + std::string(100'000, 'a') + " HTTP/1.1\r\n\r\n",
         414, line_limit, true},
        {"a header of 1 MB",
         "GET /health HTTP/1.1\r\nX-Filler: " + std::string(1 << 20, 'x') + "\r\n\r\n", 431,
         head_limit, true},
        {"a header line of 1 MB that never ends",
         "GET /health HTTP/1.1\r\nX-Filler: " + std::string(1 << 20, 'x'), 431, head_limit, true},
        {"5,000 headers", "GET /health HTTP/1.1\r\n" + many_headers + "\r\n", 431, head_limit,
         true},
        {"a query of 9 KB", "GET /search?q=" + std::string(9'000, 'a') + " HTTP/1.1\r\n\r\n", 414,
         line_limit, false},
    };
    for (const auto& [what, request, status, message, closes] : cases) {
        INFO(what);
        RawConnection connection(server.port());
        CHECK(connection.send(request));
        const auto reply = connection.read_reply();
        REQUIRE(reply);
        CHECK(reply->status == status);
        CHECK(json_of(reply) == nlohmann::json{{"error", message}});
        if (closes) {
            CHECK(reply->header("connection") == "close");
            CHECK(connection.closed_within(std::chrono::seconds(3)));
        } else {
            REQUIRE(connection.send("GET /health HTTP/1.1\r\n\r\n"));
            CHECK(connection.read_reply()->status == 200);
        }
    }
    // A header line over cpp-httplib's 8 KiB, in a head within the limit: malformed.
    RawConnection long_line(server.port());
    REQUIRE(
        long_line.send("GET /health HTTP/1.1\r\nX-Filler: " + std::string(9000, 'x') + "\r\n\r\n"));
    CHECK(long_line.read_reply()->status == 400);
    CHECK(http_get(server.port(), "/health")->status == 200);
}

TEST_CASE("a client sending a byte a second is cut off with 408, others answered meanwhile",
          "[serve][hostile]") {
    ServeProcess server({"--db", served_db(), "--threads", "1"});
    RawConnection slow(server.port(), std::chrono::seconds(1));
    const std::string request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    const auto started = Clock::now();
    std::optional<HttpReply> reply;
    for (std::size_t k = 0; !reply && Clock::now() - started < std::chrono::seconds(20); ++k) {
        if (!slow.send(std::string(1, k < request.size() ? request[k] : 'z'))) break;
        // The one worker is free for others all along.
        const auto before = Clock::now();
        REQUIRE(http_get(server.port(), "/health")->status == 200);
        CHECK(Clock::now() - before < std::chrono::milliseconds(500));
        reply = slow.read_reply();
    }
    const auto elapsed = Clock::now() - started;
    REQUIRE(reply);
    CHECK(reply->status == 408);
    CHECK(json_of(reply) ==
          nlohmann::json{{"error", "request head not received within 10 seconds"}});
    CHECK(elapsed >= std::chrono::seconds(10));
    CHECK(elapsed < std::chrono::seconds(13));
    CHECK(slow.closed_within(std::chrono::seconds(1)));
}

TEST_CASE("a thousand idle connections hold no worker, and close after 5 seconds",
          "[serve][hostile]") {
    ServeProcess server({"--db", served_db(), "--threads", "2"});
    std::vector<RawConnection> idle;
    idle.reserve(1000);
    for (int k = 0; k < 1000; ++k) idle.emplace_back(server.port());
    const auto opened = Clock::now();
    for (int k = 0; k < 5; ++k) {
        const auto before = Clock::now();
        const auto reply = http_get(server.port(), "/search?q=Kidal");
        REQUIRE(reply);
        CHECK(reply->status == 200);
        CHECK(Clock::now() - before < std::chrono::milliseconds(500));
    }
    // Two workers, the main thread and the one that waits for signals: no thread per connection.
    CHECK(proc_status(server.pid(), "Threads") == 4);
    for (RawConnection& connection : idle) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            opened + std::chrono::seconds(8) - Clock::now());
        REQUIRE(connection.closed_within(std::max(left, std::chrono::milliseconds(1))));
    }
    CHECK(Clock::now() - opened >= std::chrono::milliseconds(4500));
    CHECK(http_get(server.port(), "/health")->status == 200);
}
