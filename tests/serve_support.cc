#include "tests/serve_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <regex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace trouvere::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return text;
}

// The head of a response (without its blank line) as an HttpReply without body; nullopt when
// malformed.
std::optional<HttpReply> parsed_head(std::string_view head) {
    static const std::regex status_line(R"(HTTP/1\.[01] (\d{3})[^\r]*)");
    const std::size_t line_end = head.find("\r\n");
    std::match_results<std::string_view::const_iterator> match;
    const std::string_view first = head.substr(0, line_end);
    if (!std::regex_match(first.begin(), first.end(), match, status_line)) return std::nullopt;
    HttpReply reply;
    reply.status = std::stoi(match[1].str());
    std::size_t at = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (at < head.size()) {
        const std::size_t end = std::min(head.find("\r\n", at), head.size());
        const std::string_view line = head.substr(at, end - at);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            reply.headers.emplace_back(lowercase(std::string(line.substr(0, colon))),
                                       std::string(value));
        }
        at = end + 2;
    }
    return reply;
}

}  // namespace

const std::string& served_db() {
    static TempDir dir;
    static const std::string path = [] {
        std::string documents =
            R"({"id": "dossier/a b?c#d", "title": "Identifiant à caractères", "body": "Un identifiant qui contient une barre oblique.", "date": "2023-05-02", "source": "Essai"}
{"id": "balises", "title": "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">", "body": "Des balises dans un accord <b>militaire</b> et <script>document.title='pwned'</script> <img src=x onerror=\"document.title='pwned'\">", "date": "2024-03-01", "source": "<i>Source</i>"}
)";
        for (int k = 1; k <= 12; ++k) {
            documents += R"({"id": "feuillet-)" + std::to_string(k) + R"(", "title": "Feuillet )" +
                         std::to_string(k) + R"(", "body": "Le feuillet numéro )" +
                         std::to_string(k) + R"( du registre.", "date": "2022-0)" +
                         std::to_string(1 + k % 9) + R"(-15"})" + "\n";
        }
        const auto extra = dir.write("unusual.jsonl", documents);
        std::string db = (dir.path() / "db").string();
        const auto result = run_process(TROUVERE_SEARCH_INDEX_BIN,
                                        {"--db", db, corpus_dir().string(), extra.string()});
        if (result.exit_code != 0) throw std::runtime_error("indexing failed: " + result.err);
        return db;
    }();
    return path;
}

ServeProcess::ServeProcess(const std::vector<std::string>& args)
    : process_(TROUVERE_SEARCH_BIN, [&] {
          std::vector<std::string> all{"serve", "--listen", "127.0.0.1:0"};
          all.insert(all.end(), args.begin(), args.end());
          return all;
      }()) {
    static const std::regex listening(R"(search serve: listening on http://127\.0\.0\.1:(\d+)\n)");
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
        std::smatch match;
        const std::string err = process_.err_so_far();
        if (std::regex_search(err, match, listening)) {
            port_ = std::stoi(match[1].str());
            return;
        }
        if (process_.finished()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("search serve did not start listening: " + process_.err_so_far());
}

ProcessResult ServeProcess::stop() {
    process_.signal(SIGTERM);
    return process_.wait();
}

std::optional<std::string> HttpReply::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

RawConnection::RawConnection(int port, std::chrono::milliseconds timeout)
    : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)), timeout_(timeout) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd_);
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
    const int yes = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
}

RawConnection::~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      timeout_(other.timeout_),
      pending_(std::move(other.pending_)) {}

bool RawConnection::send(std::string_view bytes) const {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

std::optional<HttpReply> RawConnection::read_reply() {
    const auto deadline = Clock::now() + timeout_;
    // Reads more into pending_; false when the connection ends or the deadline passes.
    auto more = [&] {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
        if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        std::array<char, 65536> chunk{};
        const ssize_t count = ::recv(fd_, chunk.data(), chunk.size(), 0);
        if (count <= 0) return false;
        pending_.append(chunk.data(), static_cast<std::size_t>(count));
        return true;
    };
    std::size_t head_end = 0;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
        if (!more()) return std::nullopt;
    }
    std::optional<HttpReply> reply = parsed_head(std::string_view(pending_).substr(0, head_end));
    if (!reply) return std::nullopt;
    const std::size_t length = std::stoul(reply->header("content-length").value_or("0"));
    while (pending_.size() < head_end + 4 + length) {
        if (!more()) return std::nullopt;
    }
    reply->body = pending_.substr(head_end + 4, length);
    pending_.erase(0, head_end + 4 + length);
    return reply;
}

bool RawConnection::closed_within(std::chrono::milliseconds wait) {
    const auto deadline = Clock::now() + wait;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
        if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        std::array<char, 4096> chunk{};
        const ssize_t count = ::recv(fd_, chunk.data(), chunk.size(), 0);
        if (count <= 0) return true;
        pending_.append(chunk.data(), static_cast<std::size_t>(count));
    }
}

std::optional<HttpReply> http_get(int port, const std::string& target,
                                  const std::vector<std::string>& extra_headers) {
    RawConnection connection(port);
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const std::string& header : extra_headers) request += header + "\r\n";
    request += "Connection: close\r\n\r\n";
    if (!connection.send(request)) return std::nullopt;
    return connection.read_reply();
}

std::string url_encoded(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string encoded;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            encoded += c;
        } else {
            encoded += '%';
            encoded += kHex[byte >> 4U];
            encoded += kHex[byte & 15U];
        }
    }
    return encoded;
}

}  // namespace trouvere::testing
