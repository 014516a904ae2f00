#include "server/http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "server/error_json.h"
#include "server/server_limits.h"

namespace trouvere::server {

namespace {

using Clock = std::chrono::steady_clock;

// Keys of the two descriptors that epoll reports beside the connections.
constexpr std::uint64_t kListenerKey = UINT64_MAX;
constexpr std::uint64_t kWakeKey = UINT64_MAX - 1;

std::runtime_error system_failure(const std::string& what) {
    return std::runtime_error(what + ": " + std::system_category().message(errno));
}

// `fd`, or the failure of `what` that did not give one.
int descriptor(int fd, const std::string& what) {
    if (fd < 0) throw system_failure(what);
    return fd;
}

std::int64_t now_in_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
        .count();
}

// Waits until `fd` is ready for `events` or `deadline` passes; true when ready.
bool wait_until(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd ready{.fd = fd, .events = events, .revents = 0};
        const int result = ::poll(&ready, 1, static_cast<int>(left));
        if (result > 0) return true;
        if (result == 0 || errno != EINTR) return false;
    }
}

// The numeric address and port of a socket's end, as cpp-httplib's Request carries them.
std::pair<std::string, int> address_of(const sockaddr_storage& address) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (address.ss_family == AF_INET6) {
        const auto& ipv6 = reinterpret_cast<const sockaddr_in6&>(address);
        ::inet_ntop(AF_INET6, &ipv6.sin6_addr, text.data(), text.size());
        return {text.data(), ntohs(ipv6.sin6_port)};
    }
    const auto& ipv4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &ipv4.sin_addr, text.data(), text.size());
    return {text.data(), ntohs(ipv4.sin_port)};
}

// Whether `head` has a header line named `name` (given in lowercase), in any case.
bool has_header(std::string_view head, std::string_view name) {
    for (std::size_t line = head.find("\r\n"); line != std::string_view::npos;
         line = head.find("\r\n", line + 2)) {
        const std::string_view rest = head.substr(line + 2);
        if (rest.size() > name.size() && rest[name.size()] == ':' &&
            std::equal(name.begin(), name.end(), rest.begin(), [](char lower, char c) {
                return lower == (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
            })) {
            return true;
        }
    }
    return false;
}

// Whether the connection must close after the request of `head`: the routes take GET and HEAD
// without a body, and a body the server does not read cannot be told from the next request.
bool ends_connection(std::string_view head) {
    const bool get_or_head = head.starts_with("GET ") || head.starts_with("HEAD ");
    return !get_or_head || has_header(head, "content-length") ||
           has_header(head, "transfer-encoding");
}

// The reason phrase of the statuses this layer answers with itself.
std::string_view reason_phrase(int status) {
    switch (status) {
        case 408: return "Request Timeout";
        case 414: return "URI Too Long";
        case 431: return "Request Header Fields Too Large";
        default: return "Service Unavailable";
    }
}

// A response written by this layer, where cpp-httplib has no request to answer: the connection
// then closes. Best effort: the socket is not waited for.
void send_and_forget(int fd, int status, std::string_view message) {
    const std::string body = error_json(message);
    const std::string response =
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    // NOLINTNEXTLINE(bugprone-unused-return-value): nothing is left to do when it fails
    (void)::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace

struct HttpServer::Connection {
    Connection(int descriptor, std::uint64_t connection_key)
        : fd(descriptor), key(connection_key) {}
    ~Connection() { ::close(fd); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    Connection(Connection&&) = delete;
    Connection& operator=(Connection&&) = delete;

    int fd;
    std::uint64_t key;
    std::pair<std::string, int> remote;
    std::pair<std::string, int> local;
    // Bytes received and not yet read by cpp-httplib: the next request head, or part of it.
    std::string received;
    // When the first byte of the head in `received` came, while it is incomplete.
    std::optional<Clock::time_point> head_started;
    Clock::time_point deadline;
    std::size_t requests = 0;
    // Its last response sent: what the client still sends is read and dropped (linger()).
    bool lingering = false;
    // Held by a worker, out of epoll; only its holder touches the fields above meanwhile.
    bool busy = false;
};

// One request of a connection as cpp-httplib reads and answers it: the head comes from the bytes
// already received, and the response is gathered and sent in one piece by flush(), so that a
// response leaves in as few packets as its size allows.
class HttpServer::RequestStream final : public httplib::Stream {
public:
    explicit RequestStream(Connection& connection)
        : connection_(connection), read_deadline_(Clock::now() + limits::kReadTimeout) {}

    [[nodiscard]] bool is_readable() const override {
        return consumed_ < connection_.received.size() ||
               wait_until(connection_.fd, POLLIN, read_deadline_);
    }
    [[nodiscard]] bool is_writable() const override { return true; }

    ssize_t read(char* ptr, size_t size) override {
        std::string& received = connection_.received;
        if (consumed_ == received.size()) {
            // Past the head: only a body the server refuses gets here, within kReadTimeout.
            if (!wait_until(connection_.fd, POLLIN, read_deadline_)) return -1;
            std::array<char, 4096> chunk{};
            const ssize_t count = ::recv(connection_.fd, chunk.data(), chunk.size(), 0);
            if (count <= 0) return count;
            received.append(chunk.data(), static_cast<std::size_t>(count));
        }
        const std::size_t taken = std::min(size, received.size() - consumed_);
        std::copy_n(received.begin() + static_cast<std::ptrdiff_t>(consumed_), taken, ptr);
        consumed_ += taken;
        return static_cast<ssize_t>(taken);
    }

    ssize_t write(const char* ptr, size_t size) override {
        response_.append(ptr, size);
        return static_cast<ssize_t>(size);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        std::tie(ip, port) = connection_.remote;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        std::tie(ip, port) = connection_.local;
    }
    [[nodiscard]] socket_t socket() const override { return connection_.fd; }

    /// Bytes of `received` that cpp-httplib read.
    [[nodiscard]] std::size_t consumed() const { return consumed_; }

    /// Sends the response within kWriteTimeout; false when the client did not take it.
    bool flush() {
        const Clock::time_point deadline = Clock::now() + limits::kWriteTimeout;
        std::size_t sent = 0;
        while (sent < response_.size()) {
            const ssize_t count = ::send(connection_.fd, response_.data() + sent,
                                         response_.size() - sent, MSG_NOSIGNAL);
            if (count > 0) {
                sent += static_cast<std::size_t>(count);
            } else if (count < 0 && errno == EINTR) {
                continue;
            } else if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (!wait_until(connection_.fd, POLLOUT, deadline)) return false;
            } else {
                return false;
            }
        }
        return true;
    }

private:
    Connection& connection_;
    Clock::time_point read_deadline_;
    std::size_t consumed_ = 0;
    std::string response_;
};

HttpServer::HttpServer(std::size_t threads)
    : threads_(std::max<std::size_t>(threads, 1)),
      epoll_(descriptor(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(descriptor(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd")) {
    epoll_event wake{.events = EPOLLIN, .data = {.u64 = kWakeKey}};
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &wake) != 0) throw system_failure("epoll_ctl");
    // The headers cpp-httplib writes name the limits this class holds to.
    set_keep_alive_timeout(limits::kIdleTimeout.count());
    set_keep_alive_max_count(limits::kMaxRequestsPerConnection);
}

HttpServer::~HttpServer() {
    connections_.clear();
    for (int fd : {listener_, wake_, epoll_}) {
        if (fd >= 0) ::close(fd);
    }
}

int HttpServer::bind(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int error = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
        error != 0) {
        throw std::runtime_error("cannot listen on " + host + ": " +
                                 (error == EAI_NONAME
                                      ? "give a numeric address, such as 127.0.0.1, ::1 or 0.0.0.0"
                                      : ::gai_strerror(error)));
    }
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    listener_ = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener_ < 0) throw system_failure("socket");
    // Rebinding right after a restart, while the old connections linger in TIME_WAIT; unlike
    // SO_REUSEPORT (cpp-httplib's choice), a second server on the same port is still refused.
    const int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(listener_, found->ai_addr, found->ai_addrlen) != 0) {
        throw system_failure("cannot listen on " + host + " port " + service);
    }
    if (::listen(listener_, SOMAXCONN) != 0) throw system_failure("listen");
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    if (::getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
        throw system_failure("getsockname");
    }
    epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = kListenerKey}};
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, listener_, &event) != 0) {
        throw system_failure("epoll_ctl");
    }
    return address_of(bound).second;
}

void HttpServer::run() {
    std::vector<std::thread> workers;
    workers.reserve(threads_);
    for (std::size_t k = 0; k < threads_; ++k) workers.emplace_back([this] { work(); });
    for (std::thread& worker : workers) worker.join();
    const std::lock_guard lock(mutex_);
    connections_.clear();
}

void HttpServer::stop() {
    stopping_ = true;
    const std::uint64_t one = 1;
    // NOLINTNEXTLINE(bugprone-unused-return-value): an eventfd write of 1 cannot fail here
    (void)::write(wake_, &one, sizeof one);
}

void HttpServer::work() {
    while (!stopping_) {
        epoll_event event{};
        const int ready =
            ::epoll_wait(epoll_, &event, 1, static_cast<int>(limits::kSweepInterval.count()));
        sweep_if_due();
        if (ready <= 0 || stopping_) continue;
        if (event.data.u64 == kListenerKey) {
            accept_connections();
            continue;
        }
        if (event.data.u64 == kWakeKey) continue;
        Connection* connection = claim(event.data.u64);
        if (connection == nullptr) continue;
        bool keep = false;
        try {
            keep = serve(*connection);
        } catch (const std::exception& error) {
            // cpp-httplib failing outside a handler (memory exhausted while parsing, say): this
            // connection ends, the others go on.
            std::cerr << "search serve: " << error.what() << '\n';
        }
        if (keep) {
            release(*connection);
        } else {
            close(*connection);
        }
    }
}

void HttpServer::accept_connections() {
    for (;;) {
        sockaddr_storage remote{};
        socklen_t length = sizeof remote;
        const int fd = ::accept4(listener_, reinterpret_cast<sockaddr*>(&remote), &length,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            // Out of descriptors or memory: the next sweep tries again, once some have closed.
            accepting_paused_ = true;
            return;
        }
        // A response is written in one piece: without delay, it leaves at once rather than after
        // the client's delayed acknowledgement of the previous one.
        const int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        sockaddr_storage local{};
        socklen_t local_length = sizeof local;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length);

        const std::lock_guard lock(mutex_);
        if (connections_.size() >= limits::kMaxConnections) {
            send_and_forget(fd, 503, "too many connections; try again later");
            ::close(fd);
            continue;
        }
        const std::uint64_t key = next_key_++;
        auto connection = std::make_unique<Connection>(fd, key);
        connection->remote = address_of(remote);
        connection->local = address_of(local);
        connection->deadline = Clock::now() + limits::kIdleTimeout;
        epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = key}};
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) continue;
        connections_.emplace(key, std::move(connection));
    }
    epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = kListenerKey}};
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, listener_, &event);
}

HttpServer::Connection* HttpServer::claim(std::uint64_t key) {
    const std::lock_guard lock(mutex_);
    const auto found = connections_.find(key);
    if (found == connections_.end() || found->second->busy) return nullptr;
    found->second->busy = true;
    return found->second.get();
}

bool HttpServer::serve(Connection& connection) {
    // Reads until a whole request head has come, the socket holds no more, or the head's limit
    // is reached; false once the client has closed. What stays in the socket wakes epoll again.
    auto receive = [&connection] {
        std::array<char, 16384> chunk{};
        while (connection.received.size() < limits::kMaxRequestHeadBytes &&
               connection.received.find("\r\n\r\n") == std::string::npos) {
            const std::size_t wanted =
                std::min(chunk.size(), limits::kMaxRequestHeadBytes - connection.received.size());
            const ssize_t count = ::recv(connection.fd, chunk.data(), wanted, 0);
            if (count > 0) {
                connection.received.append(chunk.data(), static_cast<std::size_t>(count));
            } else if (count < 0 && errno == EINTR) {
                continue;
            } else {
                return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
            }
        }
        return true;
    };
    if (connection.lingering) {
        connection.received.clear();
        // Until the client closes, or the connection's deadline passes.
        return receive();
    }
    bool open = receive();
    for (;;) {
        const std::size_t head_end = connection.received.find("\r\n\r\n");
        if (head_end == std::string::npos) {
            if (connection.received.size() >= limits::kMaxRequestHeadBytes) {
                // No line end at all (npos) is a line past the limit too.
                const std::size_t line_end = connection.received.find("\r\n");
                if (line_end > limits::kMaxRequestLineBytes) {
                    send_and_forget(connection.fd, 414,
                                    "request line longer than " +
                                        std::to_string(limits::kMaxRequestLineBytes) + " bytes");
                } else {
                    send_and_forget(connection.fd, 431,
                                    "request head longer than " +
                                        std::to_string(limits::kMaxRequestHeadBytes) + " bytes");
                }
                return open && linger(connection);
            }
            if (!open) return false;
            if (connection.received.empty()) {
                connection.head_started.reset();
                connection.deadline = Clock::now() + limits::kIdleTimeout;
            } else {
                // Bytes trickling in do not move the deadline: it runs from the head's first.
                if (!connection.head_started) connection.head_started = Clock::now();
                connection.deadline = *connection.head_started + limits::kRequestHeadTimeout;
            }
            return true;
        }
        const std::string_view head(connection.received.data(), head_end + 4);
        ++connection.requests;
        const bool last = stopping_ || connection.requests >= limits::kMaxRequestsPerConnection ||
                          ends_connection(head);
        RequestStream stream(connection);
        bool closed_by_client = false;
        const bool answered = process_request(stream, last, closed_by_client, nullptr);
        connection.received.erase(0, stream.consumed());
        connection.head_started.reset();
        if (!stream.flush()) return false;
        if (!answered || closed_by_client || last) return open && linger(connection);
        // A request sent with this one is answered now; a later one wakes epoll.
    }
}

bool HttpServer::linger(Connection& connection) {
    // The response is followed by the end of the stream, which the client reads as the end.
    ::shutdown(connection.fd, SHUT_WR);
    connection.lingering = true;
    connection.received.clear();
    connection.head_started.reset();
    connection.deadline = Clock::now() + limits::kLingerTimeout;
    return true;
}

void HttpServer::release(Connection& connection) {
    const std::lock_guard lock(mutex_);
    connection.busy = false;
    epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = connection.key}};
    if (stopping_ || ::epoll_ctl(epoll_, EPOLL_CTL_MOD, connection.fd, &event) != 0) {
        connections_.erase(connection.key);
    }
}

void HttpServer::close(Connection& connection) {
    const std::lock_guard lock(mutex_);
    connections_.erase(connection.key);
}

void HttpServer::sweep_if_due() {
    std::int64_t due = next_sweep_.load();
    const std::int64_t now = now_in_ms();
    if (now < due) return;
    // One worker sweeps; the others go on.
    if (!next_sweep_.compare_exchange_strong(due, now + limits::kSweepInterval.count())) return;
    const Clock::time_point clock_now = Clock::now();
    const std::lock_guard lock(mutex_);
    for (auto each = connections_.begin(); each != connections_.end();) {
        Connection& connection = *each->second;
        if (!connection.busy && connection.deadline <= clock_now) {
            if (connection.head_started) {
                send_and_forget(connection.fd, 408,
                                "request head not received within " +
                                    std::to_string(limits::kRequestHeadTimeout.count()) +
                                    " seconds");
            }
            each = connections_.erase(each);
        } else {
            ++each;
        }
    }
    if (accepting_paused_.exchange(false)) {
        epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = kListenerKey}};
        ::epoll_ctl(epoll_, EPOLL_CTL_MOD, listener_, &event);
    }
}

}  // namespace trouvere::server
