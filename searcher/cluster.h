// A cluster: one trouvere database split into shards (search-index --shard K/N), each a database
// of its own served by xapian-tcpsrv or on a local path, named by a file in Xapian's stub format.
#pragma once

#include <xapian.h>

#include <chrono>
#include <string>
#include <vector>

namespace trouvere::searcher {

/// How long a shard may take, so that a search over a shard that stops answering fails in a
/// bounded time instead of waiting for TCP to give up (minutes). Connecting on a network that
/// works takes well under a millisecond; a query of the Littré, tens of milliseconds.
inline constexpr std::chrono::milliseconds kShardConnectTimeout{2000};
inline constexpr std::chrono::milliseconds kShardReplyTimeout{10000};

/// One line of a cluster file.
struct ShardAddress {
    /// The line as written (`remote 127.0.0.1:7001`), which messages name the shard by.
    std::string name;
    bool remote = false;
    std::string host;
    unsigned port = 0;
    /// For a local shard, its folder, relative paths resolved against the cluster file's folder.
    std::string path;
};

/// True when `path` names a file rather than a folder: a cluster file, which Searcher opens as a
/// cluster. A trouvere database is a folder.
[[nodiscard]] bool is_cluster_file(const std::string& path);

/// The shards of the cluster file at `path`, in Xapian's stub format: one shard a line, either
/// `remote HOST:PORT` (a shard served by xapian-tcpsrv) or `auto PATH` (a local database); blank
/// lines and lines starting with `#` are ignored. Throws DatabaseError naming the file and the
/// line for any other line, and when the file cannot be read or names no shard.
[[nodiscard]] std::vector<ShardAddress> read_cluster_file(const std::string& path);

/// The shard's database, opened with the timeouts above. Throws Xapian's errors.
[[nodiscard]] Xapian::Database open_shard_database(const ShardAddress& shard);

/// A connection opened to a remote shard that stopped answering, to learn whether it is back
/// before Xapian is asked to connect: a shard that hangs accepts connections (the kernel does)
/// and never greets, and Xapian would wait for its greeting as long as for any reply. The probe
/// never blocks longer than asked; its connection is closed on destruction.
class GreetingProbe {
public:
    enum class Outcome { waiting, greeted, failed };

    /// Starts connecting to the shard without waiting. `shard` must be remote.
    explicit GreetingProbe(const ShardAddress& shard);
    ~GreetingProbe();
    GreetingProbe(const GreetingProbe&) = delete;
    GreetingProbe& operator=(const GreetingProbe&) = delete;

    /// Waits up to `patience` for the shard to greet: `greeted` once the server has spoken,
    /// `failed` when the connection was refused or closed, else `waiting`.
    [[nodiscard]] Outcome wait(std::chrono::milliseconds patience);

    [[nodiscard]] std::chrono::steady_clock::time_point started() const { return started_; }

private:
    int socket_ = -1;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace trouvere::searcher
