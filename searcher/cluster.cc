#include "searcher/cluster.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <memory>

#include "trouvere/error.h"

namespace trouvere::searcher {

bool is_cluster_file(const std::string& path) {
    std::error_code error;
    return std::filesystem::is_regular_file(path, error);
}

namespace {

// `HOST:PORT`, the host possibly an IPv6 address in brackets; the port from 1 to 65535.
bool read_remote_address(std::string_view text, ShardAddress& shard) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string_view host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string_view port = text.substr(colon + 1);
    unsigned number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (error != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535) {
        return false;
    }
    shard.host = host;
    shard.port = number;
    return true;
}

}  // namespace

std::vector<ShardAddress> read_cluster_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw DatabaseError("cannot read cluster file " + path);
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::vector<ShardAddress> shards;
    std::string line;
    for (std::size_t number = 1; std::getline(file, line); ++number) {
        if (line.empty() || line.front() == '#') continue;
        const auto space = line.find(' ');
        const std::string_view type = std::string_view(line).substr(0, space);
        const std::string_view rest = space == std::string::npos
                                          ? std::string_view()
                                          : std::string_view(line).substr(space + 1);
        ShardAddress shard;
        shard.name = line;
        if (type == "remote" && read_remote_address(rest, shard)) {
            shard.remote = true;
        } else if (type == "auto" && !rest.empty()) {
            shard.path = (folder / rest).lexically_normal().string();
        } else {
            std::string message = "cluster file " + path + ":" + std::to_string(number);
            message += ": expected 'remote HOST:PORT' or 'auto PATH', not '" + line + "'";
            throw DatabaseError(message);
        }
        shards.push_back(std::move(shard));
    }
    if (file.bad()) throw DatabaseError("cannot read cluster file " + path);
    if (shards.empty()) throw DatabaseError("cluster file " + path + " names no shard");
    return shards;
}

Xapian::Database open_shard_database(const ShardAddress& shard) {
    if (!shard.remote) return Xapian::Database(shard.path);
    return Xapian::Remote::open(shard.host, shard.port,
                                static_cast<useconds_t>(kShardReplyTimeout.count()),
                                static_cast<useconds_t>(kShardConnectTimeout.count()));
}

GreetingProbe::GreetingProbe(const ShardAddress& shard)
    : started_(std::chrono::steady_clock::now()) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(shard.host.c_str(), std::to_string(shard.port).c_str(), &hints, &found) != 0) {
        return;
    }
    const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
    socket_ = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       found->ai_protocol);
    if (socket_ < 0) return;
    if (::connect(socket_, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
        ::close(socket_);
        socket_ = -1;
    }
}

GreetingProbe::~GreetingProbe() {
    if (socket_ >= 0) ::close(socket_);
}

GreetingProbe::Outcome GreetingProbe::wait(std::chrono::milliseconds patience) {
    if (socket_ < 0) return Outcome::failed;
    pollfd ready{socket_, POLLIN, 0};
    const int count = ::poll(&ready, 1, static_cast<int>(patience.count()));
    if (count == 0) return Outcome::waiting;
    if (count < 0) return errno == EINTR ? Outcome::waiting : Outcome::failed;
    char first = 0;
    // A refused connection shows as readable too, with an error to read instead of a byte.
    return ::recv(socket_, &first, 1, MSG_PEEK) == 1 ? Outcome::greeted : Outcome::failed;
}

}  // namespace trouvere::searcher
