// search serve: the HTTP server's command line, its start and its graceful end.

#include "server/serve_main.h"

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstddef>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "server/http_server.h"
#include "server/search_server.h"
#include "server/searcher_pool.h"
#include "trouvere/database_path.h"
#include "trouvere/error.h"
#include "trouvere/snippet.h"

namespace trouvere::server {

namespace {

constexpr int kUsage = 2;

struct ListenAddress {
    std::string host;
    int port = 0;
};

// `HOST:PORT`, the host a numeric IPv4 address or an IPv6 one in brackets (`[::1]:8080`).
ListenAddress listen_address(const std::string& text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos)
        throw CLI::ValidationError("--listen", "HOST:PORT, not " + text);
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string port = text.substr(colon + 1);
    if (host.empty() || port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
        throw CLI::ValidationError("--listen",
                                   "HOST:PORT with a port from 0 to 65535, not " + text);
    }
    return {host, std::stoi(port)};
}

// Open files are connections: as many as the process may have.
void raise_open_file_limit() {
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
}

}  // namespace

int serve_main(int argc, char** argv) try {
    CLI::App app{
        "Answer searches over HTTP: GET / (a search page), /search?q=… (the JSON of "
        "search --json), /documents/ID and /health. Stops on SIGTERM or SIGINT once the "
        "requests under way are answered.",
        "search serve"};
    std::string db;
    std::string listen = "127.0.0.1:8080";
    std::size_t threads = std::max(1U, std::thread::hardware_concurrency());
    app.add_option("--db", db, "Database folder (default: $SEARCH_DB, else the per-user index)");
    app.add_option("--listen", listen,
                   "Address and port, HOST:PORT (127.0.0.1:8080: this machine only; port 0 takes "
                   "a free one; [::1]:8080 for IPv6)");
    app.add_option("--threads", threads,
                   "Threads answering requests, each with its own searcher (default: one per "
                   "core)")
        ->check(CLI::Range(1, 256));
    ListenAddress address;
    try {
        app.parse(argc, argv);
        address = listen_address(listen);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? 0 : kUsage;
    }

    // Every thread started from here on leaves these signals to the one thread that waits for
    // them; the others are never interrupted.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    raise_open_file_limit();

    const std::string path = resolve_database_path(db);
    SearcherPool searchers(path);
    HttpServer http(threads);
    add_search_routes(http, searchers);
    const int port = http.bind(address.host, address.port);
    try {
        (void)searchers.acquire();
    } catch (const DatabaseError& error) {
        std::cerr << "search serve: note: " << terminal_safe(error.what())
                  << "; searches answer 503 until it can be opened\n";
    }
    const bool ipv6 = address.host.find(':') != std::string::npos;
    std::cerr << "search serve: listening on http://"
              << (ipv6 ? "[" + address.host + "]" : address.host) << ':' << port << std::endl;

    std::thread stopper([&http, &stop_signals] {
        int received = 0;
        sigwait(&stop_signals, &received);
        http.stop();
    });
    http.run();
    stopper.join();
    std::cerr << "search serve: stopped\n";
    return 0;
} catch (const std::exception& error) {
    std::cerr << "search serve: " << terminal_safe(error.what()) << '\n';
    return kUsage;
}

}  // namespace trouvere::server
