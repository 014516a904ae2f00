#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace trouvere::server {

/// cpp-httplib's request handling (parsing, routing, responses, gzip) over connections that this
/// class holds itself. cpp-httplib 0.11 gives each connection a thread of its pool for as long as
/// the connection lives, polling every 10 ms while it is idle, reads a header line of any length
/// before checking it, and times out each read, not a request: a thousand idle connections, or
/// one client sending a byte a second, would take every thread. Here, connections wait in epoll
/// and cost no thread; a worker takes one when bytes arrive, and hands it to cpp-httplib only once
/// a whole request head has arrived, within server_limits.h's size and time.
///
/// Thread safety: configure the routes before run(); stop() may be called from any thread.
class HttpServer : private httplib::Server {
public:
    /// `threads` workers (at least 1) answer requests.
    explicit HttpServer(std::size_t threads);
    ~HttpServer() override;
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;
    HttpServer(HttpServer&&) = delete;
    HttpServer& operator=(HttpServer&&) = delete;

    // The routing half of cpp-httplib's server; its listen() and stop() are replaced by bind(),
    // run() and stop() below.
    using httplib::Server::Get;
    using httplib::Server::set_default_headers;
    using httplib::Server::set_error_handler;
    using httplib::Server::set_exception_handler;
    using httplib::Server::set_pre_routing_handler;

    /// Listens on `host` (a numeric IPv4 or IPv6 address) at `port`, any free port when 0, and
    /// returns the port. Throws std::runtime_error saying why when it cannot.
    int bind(const std::string& host, int port);

    /// Answers requests on the workers until stop(), then returns once every request under way has
    /// been answered; connections left are closed.
    void run();

    /// Stops accepting connections and reading requests; requests under way are answered. Safe
    /// from any thread; call it once.
    void stop();

private:
    struct Connection;
    class RequestStream;

    void work();
    void accept_connections();
    // The connection with this key, held by the calling worker; null when it is gone.
    Connection* claim(std::uint64_t key);
    // Reads and answers what `connection` has sent; false when it is to be closed.
    bool serve(Connection& connection);
    // After a last response: no more requests are read, what comes is dropped until the client
    // closes or limits::kLingerTimeout passes. True: the connection waits in epoll meanwhile.
    static bool linger(Connection& connection);
    // Back to epoll, waiting for bytes until its deadline.
    void release(Connection& connection);
    void close(Connection& connection);
    // Closes the connections past their deadline, at most every limits::kSweepInterval.
    void sweep_if_due();

    std::size_t threads_;
    int epoll_;
    // Written once by stop(); epoll reports it to every worker until the end.
    int wake_;
    int listener_ = -1;
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> next_sweep_{0};
    // Accepting paused while the process is out of file descriptors; a sweep resumes it.
    std::atomic<bool> accepting_paused_{false};

    std::mutex mutex_;
    // Every open connection by its key, which epoll events carry: a key is never used twice, so an
    // event for a connection closed meanwhile finds nothing instead of its descriptor's next owner.
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::uint64_t next_key_ = 0;
};

}  // namespace trouvere::server
