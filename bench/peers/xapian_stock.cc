// Xapian out of the box: what a user following Xapian's "Getting Started" guide writes for
// French text. One TermGenerator with the French Snowball stemmer (indexing the title with prefix
// S and again unprefixed, then the body, with positions), a unique Q id term, and a QueryParser
// with the same stemmer. Nothing else: no accent folding, no elision, no stopwords. Comparing it
// with trouvere, which is built on the same library, shows what trouvere's analysis costs and buys.

#include <xapian.h>

#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "harness.h"

namespace {

class XapianStock final : public peers::Peer {
public:
    // `with_spelling`: index the words for Xapian's spelling suggestions too (its guide's
    // TermGenerator::FLAG_SPELLING), which "did you mean" needs and which costs index time.
    explicit XapianStock(bool with_spelling) : with_spelling_(with_spelling) {}

    [[nodiscard]] peers::Json settings() const override {
        return {{"engine", "Xapian " + std::string(Xapian::version_string())},
                {"stemmer", "french, STEM_SOME (index and query)"},
                {"fields",
                 "title with prefix S and unprefixed (wdf_inc 1), body unprefixed; "
                 "positions on; data = JSON {id, title, body}"},
                {"default_op", "AND (Xapian's own default is OR)"},
                {"query_flags", "FLAG_DEFAULT | FLAG_LOVEHATE | FLAG_PHRASE"},
                {"ranking", "BM25Weight (default)"},
                {"snippets", "MSet::snippet, 200 bytes, french stemmer"},
                {"spelling", with_spelling_ ? "TermGenerator::FLAG_SPELLING; QueryParser "
                                              "FLAG_SPELLING_CORRECTION, get_corrected_query_string"
                                            : "off"}};
    }

    peers::Json index(const std::string& location, peers::JsonlReader& records) override {
        Xapian::WritableDatabase db(location, Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator indexer;
        indexer.set_stemmer(Xapian::Stem("french"));
        indexer.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        if (with_spelling_) {
            indexer.set_database(db);
            indexer.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
        }
        peers::Record record;
        while (records.next(record)) {
            Xapian::Document doc;
            doc.set_data(
                peers::Json{{"id", record.id}, {"title", record.title}, {"body", record.body}}
                    .dump());
            indexer.set_document(doc);
            indexer.index_text(record.title, 1, "S");
            indexer.index_text(record.title, 1);
            indexer.increase_termpos();  // so that a phrase cannot run from the title into the body
            indexer.index_text(record.body);
            const std::string id_term = "Q" + record.id;
            doc.add_boolean_term(id_term);
            db.replace_document(id_term, doc);
        }
        db.commit();
        return peers::Json::object();
    }

    [[nodiscard]] std::uint64_t disk_bytes(const std::string& location) override {
        return peers::disk_usage(location);
    }

    void open(const std::string& location) override {
        db_ = Xapian::Database(location);
        parser_.set_stemmer(stemmer_);
        parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        parser_.set_default_op(Xapian::Query::OP_AND);
        parser_.set_database(db_);
        parser_.add_prefix("title", "S");
    }

    peers::Results search(const std::string& query, bool snippets) override {
        Xapian::Enquire enquire(db_);
        enquire.set_query(parse(query));
        const Xapian::MSet mset = enquire.get_mset(0, 10);
        peers::Results results;
        results.estimated_matches = mset.get_matches_estimated();
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            const auto data = peers::Json::parse(it.get_document().get_data());
            peers::Hit hit{.id = data["id"], .title = data["title"]};
            if (snippets) {
                hit.snippet = mset.snippet(
                    data["body"].get<std::string>(), 200, stemmer_,
                    Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                    "<mark>", "</mark>", "…");
            }
            results.hits.push_back(std::move(hit));
        }
        return results;
    }

    std::uint64_t count(const std::string& query) override {
        Xapian::Enquire enquire(db_);
        enquire.set_query(parse(query));
        // Checking every document makes the estimate exact.
        return enquire.get_mset(0, 10, db_.get_doccount()).get_matches_estimated();
    }

    // What a QueryParser user gets: each word missing from the database replaced by Xapian's
    // spelling suggestion, if any.
    std::optional<std::string> suggest(const std::string& query) override {
        if (!with_spelling_) throw std::runtime_error("indexed without --spelling");
        (void)parser_.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT |
                                             Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
        std::string corrected = parser_.get_corrected_query_string();
        if (corrected.empty()) return std::nullopt;
        return corrected;
    }

private:
    Xapian::Query parse(const std::string& query) {
        return parser_.parse_query(query, Xapian::QueryParser::FLAG_DEFAULT |
                                              Xapian::QueryParser::FLAG_LOVEHATE |
                                              Xapian::QueryParser::FLAG_PHRASE);
    }

    Xapian::Stem stemmer_{"french"};
    Xapian::Database db_;
    Xapian::QueryParser parser_;
    bool with_spelling_;
};

}  // namespace

int main(int argc, char** argv) {
    const bool with_spelling = argc >= 2 && std::strcmp(argv[1], "--spelling") == 0;
    XapianStock peer(with_spelling);
    if (with_spelling) {
        // The program's name stays first, as the harness reads its arguments after it.
        argv[1] = argv[0];
        ++argv;
        --argc;
    }
    try {
        return peers::run(argc, argv, "xapian-stock", peer);
    } catch (const Xapian::Error& error) {  // not a std::exception, so run() lets it through
        std::cerr << "xapian-stock: " << error.get_description() << '\n';
        return 1;
    }
}
