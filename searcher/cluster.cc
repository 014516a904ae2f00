#include "searcher/cluster.h"

#include <charconv>
#include <filesystem>
#include <fstream>

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

}  // namespace trouvere::searcher
