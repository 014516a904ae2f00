#pragma once

// Shards of a cluster served by real xapian-tcpsrv processes on loopback ports, for the tests.

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

namespace trouvere::testing {

/// The xapian-tcpsrv program (Debian's xapian-tools), or nullopt when it is not installed.
[[nodiscard]] std::optional<std::string> xapian_tcpsrv();

/// A loopback port that nothing listens on now: bound to port 0, then released.
[[nodiscard]] int free_port();

/// xapian-tcpsrv serving one database on 127.0.0.1, with its timeouts set as scripts/cluster
/// sets them. Killed on destruction.
class ShardServer {
public:
    /// Starts serving `db` on a free port, trying others while another program takes the port
    /// first. Throws std::runtime_error when it does not answer within 10 seconds.
    explicit ShardServer(std::filesystem::path db);
    ~ShardServer();
    ShardServer(const ShardServer&) = delete;
    ShardServer& operator=(const ShardServer&) = delete;

    [[nodiscard]] int port() const { return port_; }
    /// `remote 127.0.0.1:PORT`, its line in a cluster file.
    [[nodiscard]] std::string stub_line() const;
    /// Ends the server and the processes it forked for its connections at once (SIGKILL), as a
    /// machine that goes down.
    void kill();
    /// Stops the server and its connections' processes (SIGSTOP), as a machine that hangs:
    /// connections are still accepted by the kernel, and nothing is answered.
    void pause() const;
    /// Lets them run again (SIGCONT).
    void resume() const;
    /// Serves the database again on the same port.
    void restart();

private:
    // Starts the server on `port_`; false when it could not listen there.
    bool start();

    std::filesystem::path db_;
    int port_ = 0;
    std::optional<ChildProcess> process_;
};

/// A server on a free loopback port that greets each connection with `greeting` and then reads
/// until the client closes it: a shard speaking another version of the remote protocol, as Xapian's
/// server speaks first.
class GreetingServer {
public:
    explicit GreetingServer(std::string greeting);
    ~GreetingServer();
    GreetingServer(const GreetingServer&) = delete;
    GreetingServer& operator=(const GreetingServer&) = delete;

    [[nodiscard]] std::string stub_line() const;

private:
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_ = false;
    std::thread thread_;
};

/// Writes a cluster file naming `lines`, one shard a line, and returns its path.
std::filesystem::path write_cluster_file(const std::filesystem::path& file,
                                         const std::vector<std::string>& lines);

}  // namespace trouvere::testing
