// SQLite FTS5 as its documentation sets it up: one fts5 table, the unicode61 tokenizer with
// accents removed, every row inserted in one transaction, results ordered by rank (bm25 with
// default weights) and snippet() for the excerpts. FTS5 has no French stemmer (its only stemmer,
// porter, is English), so `chevaux` does not find `cheval`; unicode61 splits on apostrophes, so
// `l'église` is the phrase `l église`.
//
// Written against the C API rather than Python's sqlite3 module so that it is timed by the same
// harness as the other peers, with no interpreter in the measured path.

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "harness.h"

namespace {

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

void check(sqlite3* db, int status) {
    if (status != SQLITE_OK && status != SQLITE_ROW && status != SQLITE_DONE) {
        throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
    }
}

Db open_db(const std::string& path) {
    sqlite3* raw = nullptr;
    const int status = sqlite3_open(path.c_str(), &raw);
    Db db(raw);
    check(db.get(), status);
    return db;
}

Statement prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    check(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr));
    return Statement(raw);
}

void exec(sqlite3* db, const char* sql) {
    check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr));
}

void bind_text(sqlite3* db, sqlite3_stmt* statement, int index, const std::string& text) {
    check(db, sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                                SQLITE_STATIC));
}

std::string column_text(sqlite3_stmt* statement, int column) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    return text != nullptr
               ? std::string(text,
                             static_cast<std::size_t>(sqlite3_column_bytes(statement, column)))
               : std::string();
}

// An FTS5 string: double quotes around it, inner double quotes doubled. Quoting every word keeps
// apostrophes, hyphens and FTS5's own keywords (AND, NOT…) from being read as query syntax.
std::string fts5_string(std::string_view text) {
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

// The bench syntax in FTS5's: words and "phrases" are ANDed, `-word` becomes `NOT "word"`.
// FTS5's NOT is binary, so the exclusions follow the bracketed positive part.
std::string to_fts5(const std::string& query) {
    std::string positive;
    std::string negative;
    std::size_t i = 0;
    while (i < query.size()) {
        if (query[i] == ' ' || query[i] == '\t') {
            ++i;
            continue;
        }
        std::string_view term;
        bool excluded = false;
        if (query[i] == '-') {
            excluded = true;
            ++i;
        }
        if (i < query.size() && query[i] == '"') {
            const auto close = query.find('"', i + 1);
            const auto end = close == std::string::npos ? query.size() : close;
            term = std::string_view(query).substr(i + 1, end - i - 1);
            i = end + 1;
        } else {
            const auto end = query.find_first_of(" \t", i);
            term = std::string_view(query).substr(i, end == std::string::npos ? end : end - i);
            i = end == std::string::npos ? query.size() : end;
        }
        if (term.empty()) continue;
        auto& part = excluded ? negative : positive;
        part += (excluded ? " NOT " : (part.empty() ? "" : " ")) + fts5_string(term);
    }
    if (positive.empty()) throw std::runtime_error("FTS5 cannot answer a query of exclusions only");
    return "(" + positive + ")" + negative;
}

class SqliteFts5 final : public peers::Peer {
public:
    [[nodiscard]] peers::Json settings() const override {
        return {{"engine", std::string("SQLite ") + sqlite3_libversion() + " FTS5"},
                {"table",
                 "fts5(id UNINDEXED, title, body, "
                 "tokenize='unicode61 remove_diacritics 2')"},
                {"stemmer", "none (FTS5 has none for French)"},
                {"default_op", "AND (FTS5's implicit operator)"},
                {"query", "each word quoted, phrase kept, -word as NOT \"word\""},
                {"ranking", "ORDER BY rank (bm25, default weights)"},
                {"snippets", "snippet(docs, 2, '<mark>', '</mark>', '…', 32 tokens)"},
                {"insert", "one transaction, default pragmas, no 'optimize'"}};
    }

    peers::Json index(const std::string& location, peers::JsonlReader& records) override {
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
            std::filesystem::remove(location + suffix);
        }
        Db db = open_db(location);
        exec(db.get(),
             "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
             "tokenize = 'unicode61 remove_diacritics 2')");
        exec(db.get(), "BEGIN");
        const Statement insert =
            prepare(db.get(), "INSERT INTO docs(id, title, body) VALUES (?1, ?2, ?3)");
        peers::Record record;
        while (records.next(record)) {
            bind_text(db.get(), insert.get(), 1, record.id);
            bind_text(db.get(), insert.get(), 2, record.title);
            bind_text(db.get(), insert.get(), 3, record.body);
            check(db.get(), sqlite3_step(insert.get()));
            check(db.get(), sqlite3_reset(insert.get()));
        }
        exec(db.get(), "COMMIT");
        return peers::Json::object();
    }

    [[nodiscard]] std::uint64_t disk_bytes(const std::string& location) override {
        return peers::disk_usage(location);
    }

    void open(const std::string& location) override {
        sqlite3* raw = nullptr;
        const int status = sqlite3_open_v2(location.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        db_.reset(raw);
        check(db_.get(), status);
        top_ = prepare(db_.get(),
                       "SELECT id, title FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10");
        top_with_snippets_ = prepare(db_.get(),
                                     "SELECT id, title, snippet(docs, 2, '<mark>', '</mark>', "
                                     "'…', 32) FROM docs WHERE docs MATCH ?1 "
                                     "ORDER BY rank LIMIT 10");
        count_ = prepare(db_.get(), "SELECT count(*) FROM docs WHERE docs MATCH ?1");
    }

    peers::Results search(const std::string& query, bool snippets) override {
        sqlite3_stmt* statement = snippets ? top_with_snippets_.get() : top_.get();
        const std::string match = to_fts5(query);
        bind_text(db_.get(), statement, 1, match);
        peers::Results results;
        int status = SQLITE_OK;
        while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
            results.hits.push_back({.id = column_text(statement, 0),
                                    .title = column_text(statement, 1),
                                    .snippet = snippets ? column_text(statement, 2) : ""});
        }
        check(db_.get(), status);
        check(db_.get(), sqlite3_reset(statement));
        return results;
    }

    std::uint64_t count(const std::string& query) override {
        const std::string match = to_fts5(query);
        bind_text(db_.get(), count_.get(), 1, match);
        check(db_.get(), sqlite3_step(count_.get()));
        const auto matches = static_cast<std::uint64_t>(sqlite3_column_int64(count_.get(), 0));
        check(db_.get(), sqlite3_reset(count_.get()));
        return matches;
    }

private:
    Db db_;
    Statement top_;
    Statement top_with_snippets_;
    Statement count_;
};

}  // namespace

int main(int argc, char** argv) {
    SqliteFts5 peer;
    return peers::run(argc, argv, "sqlite-fts5", peer);
}
