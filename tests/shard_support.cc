#include "tests/shard_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace trouvere::testing {

namespace {

// Whether something accepts connections on 127.0.0.1:port.
bool listening(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API's own type
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

}  // namespace

std::optional<std::string> xapian_tcpsrv() {
    for (const char* candidate : {"/usr/bin/xapian-tcpsrv", "/usr/local/bin/xapian-tcpsrv"}) {
        if (::access(candidate, X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("cannot make a socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API's own type
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
    ::close(fd);
    if (!bound) throw std::runtime_error("cannot bind a loopback port");
    return ntohs(address.sin_port);
}

ShardServer::ShardServer(std::filesystem::path db) : db_(std::move(db)) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        if (start()) return;
    }
    throw std::runtime_error("xapian-tcpsrv could not serve " + db_.string());
}

ShardServer::~ShardServer() {
    kill();
}

std::string ShardServer::stub_line() const {
    return "remote 127.0.0.1:" + std::to_string(port_);
}

void ShardServer::kill() {
    if (!process_) return;
    ::kill(-process_->pid(), SIGKILL);
    (void)process_->wait();
    process_.reset();
}

void ShardServer::pause() const {
    if (process_) ::kill(-process_->pid(), SIGSTOP);
}

void ShardServer::resume() const {
    if (process_) ::kill(-process_->pid(), SIGCONT);
}

void ShardServer::restart() {
    kill();
    // The port was this server's: only a program binding it meanwhile could take it.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (start()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("xapian-tcpsrv could not serve " + db_.string() + " again");
}

bool ShardServer::start() {
    const auto program = xapian_tcpsrv();
    if (!program) throw std::runtime_error("xapian-tcpsrv is not installed");
    // In a session of its own, so that killing its process group also ends the processes it
    // forks for each connection, as the machine going down would.
    process_.emplace("/usr/bin/setsid", std::vector<std::string>{
                                            *program, "--port", std::to_string(port_),
                                            "--interface", "127.0.0.1", "--idle-timeout", "60000",
                                            "--active-timeout", "15000", "--quiet", db_.string()});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (process_->finished()) {
            (void)process_->wait();
            process_.reset();
            return false;
        }
        if (listening(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("xapian-tcpsrv did not listen on port " + std::to_string(port_));
}

GreetingServer::GreetingServer(std::string greeting)
    : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API's own type
    if (listener_ < 0 ||
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0 ||
        ::listen(listener_, 8) != 0) {
        throw std::runtime_error("cannot listen on a loopback port");
    }
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, greeting = std::move(greeting)] {
        while (!stop_) {
            pollfd ready{listener_, POLLIN, 0};
            if (::poll(&ready, 1, 50) <= 0) continue;
            const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
            if (connection < 0) continue;
            (void)::send(connection, greeting.data(), greeting.size(), MSG_NOSIGNAL);
            std::array<char, 256> buffer{};
            pollfd readable{connection, POLLIN, 0};
            while (!stop_ && ::poll(&readable, 1, 50) >= 0) {
                if ((readable.revents & POLLIN) != 0 &&
                    ::recv(connection, buffer.data(), buffer.size(), 0) <= 0) {
                    break;
                }
            }
            ::close(connection);
        }
    });
}

GreetingServer::~GreetingServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
}

std::string GreetingServer::stub_line() const {
    return "remote 127.0.0.1:" + std::to_string(port_);
}

std::filesystem::path write_cluster_file(const std::filesystem::path& file,
                                         const std::vector<std::string>& lines) {
    std::ofstream out(file);
    for (const std::string& line : lines) out << line << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

}  // namespace trouvere::testing
