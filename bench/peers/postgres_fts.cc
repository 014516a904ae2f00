// PostgreSQL full-text search as chapter 12 of its manual sets it up: a stored generated
// tsvector column over title and body with the `french` configuration (Snowball French stemmer
// and stopwords, no accent folding), a GIN index on it, websearch_to_tsquery for the query (its
// syntax is the bench syntax: words ANDed, "phrase", -word), ts_rank_cd for ranking and
// ts_headline, on the ten best rows only, for snippets.
//
// DB is a libpq connection string; the server is a private stock cluster that
// scripts/bench-peers starts. A C++ libpq client rather than a Python one keeps the measured path
// free of an interpreter and shares the harness with the other peers; each query is one
// PQexecParams round trip over the Unix socket, planned with its actual parameter, as any driver
// with bound parameters does it.

#include <libpq-fe.h>

#include <array>
#include <chrono>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "harness.h"

namespace {

struct FinishConnection {
    void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ClearResult {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, FinishConnection>;
using Result = std::unique_ptr<PGresult, ClearResult>;

const char* const kTop =
    "SELECT id, title FROM docs, websearch_to_tsquery('french', $1) AS q "
    "WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC LIMIT 10";

// The manual's advice: ts_headline re-parses the whole body, so run it on the ten hits only.
const char* const kTopWithSnippets =
    "SELECT id, title, ts_headline('french', body, q, 'StartSel=<mark>, StopSel=</mark>') "
    "FROM (SELECT id, title, body, q, ts_rank_cd(tsv, q) AS rank "
    "      FROM docs, websearch_to_tsquery('french', $1) AS q "
    "      WHERE tsv @@ q ORDER BY rank DESC LIMIT 10) AS top "
    "ORDER BY rank DESC";

const char* const kCount =
    "SELECT count(*) FROM docs WHERE tsv @@ websearch_to_tsquery('french', $1)";

Connection connect(const std::string& conninfo) {
    Connection connection(PQconnectdb(conninfo.c_str()));
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(connection.get()));
    }
    return connection;
}

Result checked(PGconn* connection, PGresult* raw, ExecStatusType expected) {
    Result result(raw);
    if (PQresultStatus(result.get()) != expected) {
        throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(connection));
    }
    return result;
}

Result exec(PGconn* connection, const char* sql, ExecStatusType expected = PGRES_COMMAND_OK) {
    return checked(connection, PQexec(connection, sql), expected);
}

Result exec_with(PGconn* connection, const char* sql, const std::string& parameter) {
    const std::array<const char*, 1> values{parameter.c_str()};
    return checked(connection,
                   PQexecParams(connection, sql, 1, nullptr, values.data(), nullptr, nullptr, 0),
                   PGRES_TUPLES_OK);
}

// A field of COPY's text format: backslash, tab, newline and carriage return escaped.
void append_copy_field(std::string& row, const std::string& value) {
    for (char c : value) {
        switch (c) {
            case '\\': row += "\\\\"; break;
            case '\t': row += "\\t"; break;
            case '\n': row += "\\n"; break;
            case '\r': row += "\\r"; break;
            default: row += c;
        }
    }
}

// The server process's peak resident memory: its memory, not the client's, is what an index
// build costs. It counts the shared buffers the process touched.
double backend_peak_rss_mb(PGconn* connection) {
    std::ifstream status("/proc/" + std::to_string(PQbackendPID(connection)) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kib = 0;
            status >> kib;
            return kib * 1024.0 / 1e6;
        }
        status.ignore(4096, '\n');
    }
    throw std::runtime_error("cannot read the server process's memory (is it on this machine?)");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class PostgresFts final : public peers::Peer {
public:
    [[nodiscard]] peers::Json settings() const override {
        return {{"engine", "PostgreSQL " + server_version_},
                {"column",
                 "tsv tsvector GENERATED ALWAYS AS (to_tsvector('french', "
                 "coalesce(title, '') || ' ' || coalesce(body, ''))) STORED"},
                {"index", "GIN (tsv); primary key on id; ANALYZE after the load"},
                {"stemmer", "french text search configuration (Snowball, stopwords)"},
                {"default_op", "AND (websearch_to_tsquery)"},
                {"ranking", "ts_rank_cd"},
                {"snippets", "ts_headline('french', body, q), default MaxWords=35 MinWords=15"},
                {"server", "stock postgresql.conf; client over the Unix socket"}};
    }

    peers::Json index(const std::string& location, peers::JsonlReader& records) override {
        open(location);
        PGconn* connection = connection_.get();
        exec(connection, "DROP TABLE IF EXISTS docs");
        exec(connection,
             "CREATE TABLE docs (id text PRIMARY KEY, title text, body text, "
             "tsv tsvector GENERATED ALWAYS AS (to_tsvector('french', "
             "coalesce(title, '') || ' ' || coalesce(body, ''))) STORED)");

        const auto load_start = std::chrono::steady_clock::now();
        exec(connection, "COPY docs (id, title, body) FROM STDIN", PGRES_COPY_IN);
        std::string buffer;
        const auto flush = [&] {
            if (PQputCopyData(connection, buffer.data(), static_cast<int>(buffer.size())) != 1) {
                throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(connection));
            }
            buffer.clear();
        };
        peers::Record record;
        while (records.next(record)) {
            append_copy_field(buffer, record.id);
            buffer += '\t';
            append_copy_field(buffer, record.title);
            buffer += '\t';
            append_copy_field(buffer, record.body);
            buffer += '\n';
            if (buffer.size() > (1 << 20)) flush();
        }
        flush();
        if (PQputCopyEnd(connection, nullptr) != 1) {
            throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(connection));
        }
        (void)checked(connection, PQgetResult(connection), PGRES_COMMAND_OK);
        const double load_seconds = seconds_since(load_start);

        const auto index_start = std::chrono::steady_clock::now();
        exec(connection, "CREATE INDEX docs_tsv ON docs USING GIN (tsv)");
        exec(connection, "ANALYZE docs");
        const double index_seconds = seconds_since(index_start);

        return {{"load_seconds", load_seconds},
                {"gin_and_analyze_seconds", index_seconds},
                {"server_peak_rss_mb", backend_peak_rss_mb(connection)}};
    }

    // The table with its TOAST data and indexes: the cluster's folder also holds the write-ahead
    // log and the catalogs, which are not the index.
    [[nodiscard]] std::uint64_t disk_bytes(const std::string& location) override {
        open(location);
        const Result result =
            exec(connection_.get(), "SELECT pg_total_relation_size('docs')", PGRES_TUPLES_OK);
        return std::stoull(PQgetvalue(result.get(), 0, 0));
    }

    void open(const std::string& location) override {
        if (connection_) return;
        connection_ = connect(location);
        server_version_ = PQparameterStatus(connection_.get(), "server_version");
        // Notices (a query of stopwords only, a table that did not exist yet) are expected here;
        // the match counts in the results say what they would.
        exec(connection_.get(), "SET client_min_messages = warning");
    }

    peers::Results search(const std::string& query, bool snippets) override {
        const Result result =
            exec_with(connection_.get(), snippets ? kTopWithSnippets : kTop, query);
        peers::Results results;
        for (int row = 0; row < PQntuples(result.get()); ++row) {
            results.hits.push_back({.id = PQgetvalue(result.get(), row, 0),
                                    .title = PQgetvalue(result.get(), row, 1),
                                    .snippet = snippets ? PQgetvalue(result.get(), row, 2) : ""});
        }
        return results;
    }

    std::uint64_t count(const std::string& query) override {
        const Result result = exec_with(connection_.get(), kCount, query);
        return std::stoull(PQgetvalue(result.get(), 0, 0));
    }

private:
    Connection connection_;
    std::string server_version_ = "(not connected)";
};

}  // namespace

int main(int argc, char** argv) {
    PostgresFts peer;
    return peers::run(argc, argv, "postgres-fts", peer);
}
