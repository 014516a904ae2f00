// What every peer benchmark shares: reading the corpus and the query set, timing, and the JSON it
// prints. A peer implements `Peer` with its engine's own calls; `run` gives it the command line
//   PEER index DB JSONL
//   PEER query DB QUERIES.tsv [--snippets] [--repeat N]
//   PEER probe DB
//   PEER known-items DB CASES.tsv
//   PEER spelling DB MISSPELLINGS.tsv
// so that every engine is measured by the same loop, the same clock and the same statistics.

#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace peers {

// Keys keep the order they were written in, so that result files read top-down.
using Json = nlohmann::ordered_json;

// One line of the corpus: {"id", "title", "body"}; a missing title or body is empty.
struct Record {
    std::string id;
    std::string title;
    std::string body;
};

// Reads a JSON Lines corpus one record at a time, counting what it read.
class JsonlReader {
public:
    // Throws std::runtime_error when the file cannot be opened.
    explicit JsonlReader(const std::string& path);

    // Fills `record` with the next non-blank line; false at the end of the file. Throws
    // std::runtime_error naming the line when it is not a JSON object with a string id.
    bool next(Record& record);

    [[nodiscard]] std::uint64_t records() const { return records_; }
    // Bytes of the file consumed so far, line ends included: the base of MB/s.
    [[nodiscard]] std::uint64_t bytes() const { return bytes_; }

private:
    std::ifstream in_;
    std::string line_;
    std::uint64_t line_number_ = 0;
    std::uint64_t records_ = 0;
    std::uint64_t bytes_ = 0;
};

struct Hit {
    std::string id;
    std::string title;
    std::string snippet;  // empty unless snippets were asked for
};

struct Results {
    std::vector<Hit> hits;  // at most 10, best first
    // The engine's own estimate of all matches, when answering the query gives it for free.
    std::optional<std::uint64_t> estimated_matches;
};

// One engine as its documentation sets it up. Every call may throw; `run` reports the message.
class Peer {
public:
    Peer() = default;
    virtual ~Peer() = default;
    // Used through references to the base: a copy would slice.
    Peer(const Peer&) = delete;
    Peer& operator=(const Peer&) = delete;

    // How the engine is configured (analyzer, default operator, ranking…), copied into every
    // output so that a result file says what it measured.
    [[nodiscard]] virtual Json settings() const = 0;

    // Builds a new index at `location` from every record of `records`, replacing any index that
    // was there, and makes it durable. Returns engine-specific facts for the report (an object).
    virtual Json index(const std::string& location, JsonlReader& records) = 0;

    // Bytes the index occupies on disk, as du counts them.
    [[nodiscard]] virtual std::uint64_t disk_bytes(const std::string& location) = 0;

    // Opens the index for `search` and `count`.
    virtual void open(const std::string& location) = 0;

    // Answers a query in the bench syntax (bare words, one "quoted phrase", -exclusions) with
    // the ten best hits, their ids and titles, and with snippets of the body when asked.
    virtual Results search(const std::string& query, bool snippets) = 0;

    // The exact number of documents matching the query.
    virtual std::uint64_t count(const std::string& query) = 0;

    // The engine's "did you mean" for a query: the corrected query, or nothing. Throws
    // std::runtime_error for an engine without one, which is what this default does.
    virtual std::optional<std::string> suggest(const std::string& query);
};

// Bytes in blocks allocated under `path` (a file or a folder, recursively), like `du -s`.
[[nodiscard]] std::uint64_t disk_usage(const std::string& path);

// Runs the command line above against `peer`, printing one JSON object on standard output.
// Returns the exit status: 0 on success, 1 when the engine failed, 2 for a usage error.
int run(int argc, char** argv, const std::string& name, Peer& peer);

}  // namespace peers
