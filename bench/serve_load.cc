// serve_load: the benchmark queries as fast as they are answered, for a fixed time, either by
// `search serve` over keep-alive HTTP connections or by the library in process, so that the two
// throughputs can be compared on the same queries and cores. scripts/bench-serve runs both.
//
//   serve_load --queries bench/queries.tsv --seconds 10 --db DB --threads 2 [--render]
//   serve_load --queries bench/queries.tsv --seconds 10 --port 8080 --connections 4 [--pid PID]
//
// Prints one JSON object: the mode, the requests answered and their rate, the errors, the
// latency percentiles in milliseconds, the CPU time it took and, with --pid, the server's CPU time
// and resident memory sampled every 250 ms (first, highest and last, in KiB), all of it and its
// anonymous part.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "trouvere/error.h"
#include "trouvere/searcher.h"

namespace {

using Clock = std::chrono::steady_clock;

// What each thread of the run counted.
struct Tally {
    std::vector<double> latencies_ms;
    std::size_t errors = 0;
};

std::vector<std::string> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<std::string> queries;
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t tab = line.find('\t');
        if (tab != std::string::npos) queries.push_back(line.substr(tab + 1));
    }
    if (queries.empty()) throw std::runtime_error("no query in " + path);
    return queries;
}

std::string url_encoded(const std::string& text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string encoded;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            encoded += c;
        } else {
            encoded += '%';
            encoded += kHex[byte >> 4U];
            encoded += kHex[byte & 15U];
        }
    }
    return encoded;
}

// Where `head` has a header line named `name` (lowercase), in any case: the offset of its value,
// or npos.
std::size_t header_value(std::string_view head, std::string_view name) {
    for (std::size_t line = head.find("\r\n"); line != std::string_view::npos;
         line = head.find("\r\n", line + 2)) {
        const std::string_view rest = head.substr(line + 2);
        if (rest.size() > name.size() && rest[name.size()] == ':' &&
            std::equal(name.begin(), name.end(), rest.begin(), [](char lower, char c) {
                return lower == static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            })) {
            return line + 2 + name.size() + 1;
        }
    }
    return std::string_view::npos;
}

// One keep-alive connection to 127.0.0.1:port, reopened when the server closes it. It reads no
// more of a response than its status, length and Connection header, so that it takes as little
// of the cores it shares with the server as it can.
class Connection {
public:
    explicit Connection(int port) : port_(port) {}
    ~Connection() { close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    Connection(Connection&&) = delete;
    Connection& operator=(Connection&&) = delete;

    // Sends `request` and reads the whole response; its status, or nullopt when the exchange
    // failed (the connection is then closed).
    std::optional<int> exchange(const std::string& request) {
        if (fd_ < 0 && !open()) return std::nullopt;
        if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size())) {
            close();
            return std::nullopt;
        }
        std::size_t head_end = 0;
        while ((head_end = received_.find("\r\n\r\n")) == std::string::npos) {
            if (!receive()) return std::nullopt;
        }
        const std::string_view head(received_.data(), head_end + 2);
        if (head.size() < 12 || !head.starts_with("HTTP/1.1 ")) {
            close();
            return std::nullopt;
        }
        const int status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        std::size_t length = 0;
        if (const std::size_t at = header_value(head, "content-length");
            at != std::string_view::npos) {
            length = std::strtoul(head.data() + at, nullptr, 10);
        }
        const std::size_t connection_at = header_value(head, "connection");
        const bool closing = connection_at != std::string_view::npos &&
                             head.substr(connection_at).starts_with(" close");
        while (received_.size() < head_end + 4 + length) {
            if (!receive()) return std::nullopt;
        }
        received_.erase(0, head_end + 4 + length);
        if (closing) close();
        return status;
    }

private:
    bool open() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port_));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 ||
            ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            close();
            return false;
        }
        const int yes = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        return true;
    }
    bool receive() {
        const ssize_t count = ::recv(fd_, chunk_.data(), chunk_.size(), 0);
        if (count <= 0) {
            close();
            return false;
        }
        received_.append(chunk_.data(), static_cast<std::size_t>(count));
        return true;
    }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        received_.clear();
    }

    int port_;
    int fd_ = -1;
    std::string received_;
    std::array<char, 65536> chunk_{};
};

// A process's resident memory in KiB: all of it (VmRSS), and its anonymous part (RssAnon), the
// heap and stacks, without the pages of the files it maps (the indexes), which the kernel shares
// with its page cache and which change as the server maps each new native index.
struct Resident {
    long all = 0;
    long anonymous = 0;
};

Resident resident_kib(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    Resident resident;
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) resident.all = std::stol(line.substr(6));
        if (line.starts_with("RssAnon:")) resident.anonymous = std::stol(line.substr(8));
    }
    return resident;
}

// CPU time, user and system, in seconds: of this process, or of another one by its pid. CPU time
// is what the requests cost whatever else the shared machine runs meanwhile.
double own_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& time) {
        return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double cpu_seconds_of(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // The fields after the command name, which is in parentheses and may hold spaces: utime and
    // stime are the 12th and 13th of them.
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int k = 1; k <= 13 && fields >> field; ++k) {
        if (k >= 12) ticks += std::stod(field);
    }
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double percentile(const std::vector<double>& sorted, double fraction) {
    if (sorted.empty()) return 0;
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
    return sorted[index];
}

}  // namespace

int main(int argc, char** argv) try {
    CLI::App app{"The benchmark queries, by search serve or in process, for a fixed time",
                 "serve_load"};
    std::string queries_path = "bench/queries.tsv";
    double seconds = 10;
    std::size_t max_requests = 10'000'000;
    std::string db;
    std::size_t threads = 0;
    int port = 0;
    std::size_t connections = 0;
    int pid = 0;
    app.add_option("--queries", queries_path, "Query file: class, a tab, the query");
    app.add_option("--seconds", seconds, "How long to run")->check(CLI::Range(0.1, 3600.0));
    app.add_option("--max-requests", max_requests, "Stop after this many, whichever comes first");
    auto* in_process = app.add_option("--db", db, "Search in process, with --threads threads");
    app.add_option("--threads", threads, "Threads searching in process, a Searcher each");
    auto* over_http = app.add_option("--port", port, "Ask search serve on 127.0.0.1:PORT");
    app.add_option("--connections", connections, "Keep-alive connections, a thread each");
    app.add_option("--pid", pid, "The server's process, whose memory is sampled");
    bool render = false;
    app.add_flag("--render", render,
                 "In process, also write each answer's JSON (to_json), as the server does");
    in_process->excludes(over_http);
    CLI11_PARSE(app, argc, argv);
    if ((in_process->count() == 0) == (over_http->count() == 0)) {
        std::cerr << "serve_load: give --db or --port\n";
        return 2;
    }

    const std::vector<std::string> queries = read_queries(queries_path);
    std::vector<std::string> requests;
    requests.reserve(queries.size());
    for (const std::string& query : queries) {
        requests.push_back("GET /search?q=" + url_encoded(query) +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    const bool http = over_http->count() > 0;
    const std::size_t workers = std::max<std::size_t>(1, http ? connections : threads);
    std::vector<Tally> tallies(workers);
    std::atomic<std::size_t> started{0};
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(seconds));
    // Each worker takes the next query of the whole set, so that every query is asked as often.
    std::atomic<std::size_t> next_query{0};
    auto run = [&](Tally& tally, auto&& ask) {
        while (Clock::now() < deadline && started++ < max_requests) {
            const std::size_t query = next_query++ % queries.size();
            const auto before = Clock::now();
            const bool answered = ask(query);
            const std::chrono::duration<double, std::milli> took = Clock::now() - before;
            tally.latencies_ms.push_back(took.count());
            if (!answered) ++tally.errors;
        }
    };

    std::vector<Resident> memory;
    std::atomic<bool> finished{false};
    std::thread sampler;
    if (pid > 0) {
        sampler = std::thread([&] {
            while (!finished) {
                memory.push_back(resident_kib(pid));
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
            }
        });
    }
    const auto began = Clock::now();
    const double own_cpu_before = own_cpu_seconds();
    const double server_cpu_before = pid > 0 ? cpu_seconds_of(pid) : 0;
    std::vector<std::thread> running;
    running.reserve(workers);
    for (Tally& tally : tallies) {
        running.emplace_back([&] {
            if (http) {
                auto connection = std::make_unique<Connection>(port);
                run(tally, [&](std::size_t query) {
                    return connection->exchange(requests[query]) == 200;
                });
            } else {
                trouvere::Searcher searcher(db);
                run(tally, [&](std::size_t query) {
                    try {
                        const trouvere::SearchResults results = searcher.search(queries[query]);
                        return !render || !trouvere::to_json(results).empty();
                    } catch (const trouvere::Error&) {
                        return false;
                    }
                });
            }
        });
    }
    for (std::thread& each : running) each.join();
    const std::chrono::duration<double> elapsed = Clock::now() - began;
    const double own_cpu = own_cpu_seconds() - own_cpu_before;
    const double server_cpu = pid > 0 ? cpu_seconds_of(pid) - server_cpu_before : 0;
    finished = true;
    if (sampler.joinable()) sampler.join();

    std::vector<double> latencies;
    std::size_t errors = 0;
    for (const Tally& tally : tallies) {
        latencies.insert(latencies.end(), tally.latencies_ms.begin(), tally.latencies_ms.end());
        errors += tally.errors;
    }
    std::sort(latencies.begin(), latencies.end());
    nlohmann::ordered_json out{
        {"mode", http     ? "http"
                 : render ? "in_process_with_json"
                          : "in_process"},
        {http ? "connections" : "threads", workers},
        {"seconds", elapsed.count()},
        {"requests", latencies.size()},
        {"per_second", static_cast<double>(latencies.size()) / elapsed.count()},
        {"errors", errors},
        // In process, the searches' CPU time; over HTTP, this load generator's.
        {"cpu_seconds", own_cpu},
        {"latency_ms",
         {{"p50", percentile(latencies, 0.50)},
          {"p90", percentile(latencies, 0.90)},
          {"p99", percentile(latencies, 0.99)},
          {"max", latencies.empty() ? 0.0 : latencies.back()}}}};
    if (pid > 0) out["server_cpu_seconds"] = server_cpu;
    if (!memory.empty()) {
        for (const auto& [name, part] : {std::pair{"rss_kib", &Resident::all},
                                         std::pair{"anonymous_kib", &Resident::anonymous}}) {
            long highest = 0;
            for (const Resident& sample : memory) highest = std::max(highest, sample.*part);
            out[name] = {
                {"first", memory.front().*part}, {"max", highest}, {"last", memory.back().*part}};
        }
    }
    std::cout << out.dump(2) << '\n';
    return errors == 0 ? 0 : 1;
} catch (const std::exception& error) {
    std::cerr << "serve_load: " << error.what() << '\n';
    return 2;
}
