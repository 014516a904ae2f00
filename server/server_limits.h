#pragma once

// What `search serve` bounds, each with its reason. A client, careless or hostile, can hold a
// connection, a worker thread or memory only within these; past them it gets a 4xx status and
// the server goes on. The README's "search serve" section lists them for users, and
// tests/serve_test.cc checks each against a real server process.

#include <chrono>
#include <cstddef>

namespace trouvere::server::limits {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// A request head (request line and headers) larger than this gets 431 and the connection is
/// closed. Browsers send under 2 KiB without cookies; 32 KiB is what nginx allows by default (four
/// 8 KiB buffers), and the bound keeps a head of endless headers from growing in memory.
inline constexpr std::size_t kMaxRequestHeadBytes = std::size_t{32} * 1024;

/// The request line alone: cpp-httplib answers 414 past CPPHTTPLIB_REQUEST_URI_MAX_LENGTH, which
/// Debian's shared build of it fixes at 8 KiB. A query in a URL is percent-encoded, so this, not
/// the library's 10,000 bytes, bounds the queries the server takes (about 2,700 accented letters,
/// 8,000 unaccented ones).
inline constexpr std::size_t kMaxRequestLineBytes = std::size_t{8} * 1024;

/// From its first byte, a request head must be complete within this, or the connection is closed
/// with 408: a client sending one byte a second cannot keep a connection forever. A head is one
/// packet from any real client, so 10 s leaves room for the slowest networks.
inline constexpr seconds kRequestHeadTimeout{10};

/// A connection with no request under way is closed after this. Idle connections cost no thread
/// (epoll holds them), only a file descriptor and a few hundred bytes, so this bounds how long a
/// client keeps one, not the server's work. As cpp-httplib's default and Apache's.
inline constexpr seconds kIdleTimeout{5};

/// Writing a response must end within this: a client that stops reading holds a worker thread
/// this long at most. Responses are bounded (below), and most fit in the socket's buffer at once.
inline constexpr seconds kWriteTimeout{5};

/// Reading a request's body, which no route takes: only a request the server refuses before
/// reading its body has one, and the connection is then closed instead.
inline constexpr seconds kReadTimeout{5};

/// After its last response, a connection still reads (and drops) what the client sends, for this
/// long, before it closes: closing with unread bytes makes the kernel send a reset, which can
/// destroy the response (a 431 after a 1 MB header) before the client has read it.
inline constexpr seconds kLingerTimeout{2};

/// Requests answered on one connection before it is closed; the client opens another. Keeps one
/// client from holding one connection forever, at one reconnection per thousand requests.
inline constexpr std::size_t kMaxRequestsPerConnection = 1000;

/// Open connections, idle or not; past this a new one is answered 503 and closed. The process's
/// limit of open files is raised to its hard limit at start, and this is kept under it.
inline constexpr std::size_t kMaxConnections = 10'000;

/// Hits in one page of /search (`limit`). `search` takes up to kMaxSearchLimit, for programs that
/// write files; over HTTP a page of 100,000 hits with snippets is seconds of a worker and tens of
/// megabytes: past 1,000, a client pages with `offset`.
inline constexpr std::size_t kMaxPageHits = 1000;

/// `snippet_chars` in /search. With kMaxPageHits, bounds a response to about 1,000 snippets of
/// 2,000 characters, some 12 MB at worst (every character escaped, JSON's `\u00xx`).
inline constexpr std::size_t kMaxSnippetChars = 2000;

/// How stale a worker's Searcher may be: before a request, a Searcher that has not looked for a
/// new commit for this long calls reopen(). A reopen that finds nothing new costs 13 µs, and
/// 1.4 ms while the native index lags behind the last commit (it is opened again to be checked),
/// so checking before every request would cost more than most searches; every 100 ms it costs
/// nothing measurable, and a commit reaches every answer within 100 ms.
inline constexpr milliseconds kReopenInterval{100};

/// How often deadlines are checked: a connection outlives its timeout by up to this.
inline constexpr milliseconds kSweepInterval{250};

}  // namespace trouvere::server::limits
