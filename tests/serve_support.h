#pragma once

// `search serve` run as a process on a loopback port, and the raw HTTP that tests speak to it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/test_support.h"

namespace trouvere::testing {

/// A database of the bundled articles and of documents that a server must show as text and
/// nothing else: an id with `/`, a space, `?` and `#`; markup and scripts in a title, a body and
/// a source; and twelve documents holding `feuillet`, more than a page. Built once per process by
/// the real indexer.
[[nodiscard]] const std::string& served_db();

/// `search serve --listen 127.0.0.1:0 ARGS…` started, and its port read from the line it prints
/// once listening. Stopped with SIGKILL on destruction unless stop() was called.
class ServeProcess {
public:
    /// Throws std::runtime_error, with what the server printed, when it does not listen within
    /// 30 seconds.
    explicit ServeProcess(const std::vector<std::string>& args);

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] int pid() const { return process_.pid(); }
    [[nodiscard]] bool running() const { return !process_.finished(); }
    /// SIGTERM, then waits for the end.
    ProcessResult stop();
    /// Standard error so far.
    [[nodiscard]] std::string err_so_far() const { return process_.err_so_far(); }

private:
    ChildProcess process_;
    int port_ = 0;
};

/// One HTTP response as read from the socket.
struct HttpReply {
    int status = 0;
    /// Header names lowercased, in order.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    /// The first header of that (lowercase) name, or nullopt.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

/// A TCP connection to 127.0.0.1:port, spoken to byte by byte: what a browser would never send
/// included. Reads wait at most `timeout`.
class RawConnection {
public:
    explicit RawConnection(int port, std::chrono::milliseconds timeout = std::chrono::seconds(15));
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    RawConnection(RawConnection&& other) noexcept;
    RawConnection& operator=(RawConnection&&) = delete;

    /// Writes all of `bytes`; false once the server has closed the connection.
    [[nodiscard]] bool send(std::string_view bytes) const;
    /// The next response (its body by Content-Length); nullopt when the connection ends or the
    /// timeout passes first.
    std::optional<HttpReply> read_reply();
    /// True when the server has closed the connection (a read ends) within `wait`.
    bool closed_within(std::chrono::milliseconds wait);
    /// Bytes received that make no whole response: after read_reply() gave nothing, a response
    /// cut short rather than a connection closed between responses.
    [[nodiscard]] bool partial() const { return !pending_.empty(); }

private:
    int fd_ = -1;
    std::chrono::milliseconds timeout_;
    std::string pending_;
};

/// `GET target` on a connection of its own with `Connection: close`; nullopt when no response
/// came. `extra_headers` are whole lines without their CRLF.
[[nodiscard]] std::optional<HttpReply> http_get(int port, const std::string& target,
                                                const std::vector<std::string>& extra_headers = {});

/// `text` percent-encoded for a query string (everything but unreserved characters).
[[nodiscard]] std::string url_encoded(std::string_view text);

}  // namespace trouvere::testing
