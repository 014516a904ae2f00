// The query parser, its translation into Xapian and a whole search, on arbitrary bytes.
// Properties, beyond not crashing:
// - the tree has the shape trouvere/query.h promises: valid UTF-8 everywhere, non-empty words and
//   phrases, operators with at least two operands and never directly under one of their kind,
//   occur only on children of a group, fields only on words and phrases, an empty group only as
//   the root; warnings are distinct valid UTF-8;
// - both translations (all free words, any free word) agree on whether anything is searchable;
//   a non-empty one has a description and runs on a real database without any exception;
// - Searcher::search throws QueryError exactly when nothing is searchable and nothing else ever;
//   its hits are within the limit and their snippets pass the snippet target's checks.

#include <xapian.h>

#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "searcher/query_translation.h"
#include "searcher/xapian_engine.h"
#include "tests/fuzz/snippet_checks.h"
#include "trouvere/analyzer.h"
#include "trouvere/document.h"
#include "trouvere/error.h"
#include "trouvere/index_writer.h"
#include "trouvere/query.h"
#include "trouvere/searcher.h"

namespace {

using trouvere::QueryNode;
using trouvere::fuzz::check;
using trouvere::fuzz::is_valid_utf8;
using trouvere::fuzz::printable;

constexpr std::size_t kLimit = 5;
constexpr std::size_t kSnippetChars = 120;

// Short documents, so that a search stays cheap, with what queries aim at: accents, elisions,
// hyphens, numbers with thousands separators, phrases, a title distinct from the body.
const trouvere::Document kDocuments[] = {
    {.id = "kidal",
     .title = "L’armée malienne reprend Kidal",
     .body = "Les forces armées maliennes sont entrées à Kidal le 14 novembre. Le porte-parole "
             "a salué « une victoire » devant 25 000 personnes.",
     .date = "2023-11-14"},
    {.id = "arme",
     .title = "Une arme à feu",
     .body = "L’arme a été retrouvée près de l’école. Qu’en pense le maire ? Jusqu’où ira "
             "l’enquête ?"},
    {.id = "lavrov",
     .title = "Sergueï Lavrov à Moscou",
     .body = "Le ministre russe des Affaires étrangères a reçu son homologue. Accord militaire "
             "et coopération économique étaient à l’ordre du jour."},
    {.id = "oeuvre",
     .title = "Œuvres complètes",
     .body = "L’œuvre de Saint-Exupéry, traduite en 500 langues, reste la plus lue. Cœur et "
             "sœur ; 1 000,50 euros.\n\nUn second paragraphe, plus court."},
    {.id = "vide", .title = "Titre seul"},
};

// A database of kDocuments in a folder of its own, removed when the run ends normally.
class ScratchDatabase {
public:
    ScratchDatabase()
        : folder_(std::filesystem::temp_directory_path() /
                  ("trouvere-query-fuzzer-" + std::to_string(getpid()))),
          path_((folder_ / "db").string()) {
        std::filesystem::remove_all(folder_);
        std::filesystem::create_directories(folder_);
        trouvere::IndexWriter writer(path_, 1);
        for (const trouvere::Document& document : kDocuments) writer.add_or_replace(document);
        writer.commit();
    }
    ~ScratchDatabase() {
        std::error_code ignored;
        std::filesystem::remove_all(folder_, ignored);
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::filesystem::path folder_;
    std::string path_;
};

void check_tree(const QueryNode& node, const QueryNode* parent) {
    using Kind = QueryNode::Kind;
    const auto shown = [&] { return printable(trouvere::to_string(node)); };
    const bool leaf = node.kind == Kind::words || node.kind == Kind::phrase;
    if (leaf) {
        check(!node.text.empty(), "words and phrases are not empty", shown);
        check(is_valid_utf8(node.text), "query text is valid UTF-8", shown);
        check(node.children.empty(), "words and phrases have no children", shown);
    } else {
        check(node.text.empty(), "operators carry no text", shown);
        check(node.field == trouvere::Field::any, "field only on words and phrases", shown);
    }
    if (node.kind == Kind::all || node.kind == Kind::any) {
        check(node.children.size() >= 2, "AND and OR have two operands or more", shown);
    }
    if (node.kind == Kind::group) {
        check(!node.children.empty() || parent == nullptr, "empty group only at the root", shown);
        check(node.children.size() != 1 || node.children[0].occur != trouvere::Occur::should,
              "a group of one plain child is that child", shown);
    }
    if (parent == nullptr || parent->kind != Kind::group) {
        check(node.occur == trouvere::Occur::should, "occur only on children of a group", shown);
    }
    if (parent != nullptr && (node.kind == Kind::all || node.kind == Kind::any)) {
        check(parent->kind != node.kind, "nested AND or OR flattened", shown);
    }
    for (const QueryNode& child : node.children) check_tree(child, &node);
}

void check_match(const trouvere::searcher::MatchSpec& match) {
    for (const std::string& term : match.terms) {
        check(!term.empty() && is_valid_utf8(term), "marked terms are valid and not empty");
    }
    for (const auto& phrase : match.phrases) {
        check(phrase.size() >= 2, "a marked phrase has several words");
        for (const std::string& term : phrase) {
            check(!term.empty() && is_valid_utf8(term), "marked phrase terms are valid");
        }
    }
}

// Runs `query` on `db`, failing on any exception: a translation must always be runnable.
void run(const Xapian::Database& db, const Xapian::Query& query) {
    try {
        check(!query.get_description().empty(), "query has a description");
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        Xapian::MSet mset = enquire.get_mset(0, kLimit);
        check(mset.size() <= kLimit, "no more hits than asked for");
    } catch (const Xapian::Error& error) {
        trouvere::fuzz::fail("translated query runs on a database", error.get_description());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static trouvere::Analyzer analyzer;
    // Destroyed in the reverse order, so the database is closed before its folder goes.
    static const ScratchDatabase scratch;
    static const Xapian::Database db(scratch.path());
    static trouvere::Searcher searcher(scratch.path());
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    const trouvere::ParsedQuery parsed = trouvere::parse_query(input);
    check_tree(parsed.root, nullptr);
    check(is_valid_utf8(trouvere::to_string(parsed.root)), "rendered tree is valid UTF-8");
    for (std::size_t i = 0; i < parsed.warnings.size(); ++i) {
        check(is_valid_utf8(parsed.warnings[i]), "warnings are valid UTF-8");
        for (std::size_t k = 0; k < i; ++k) {
            check(parsed.warnings[k] != parsed.warnings[i], "each warning once",
                  [&] { return parsed.warnings[i]; });
        }
    }

    using trouvere::searcher::FreeWords;
    const auto all = trouvere::searcher::translate(parsed.root, analyzer, FreeWords::all);
    const auto any = trouvere::searcher::translate(parsed.root, analyzer, FreeWords::any);
    check(all.query.empty() == any.query.empty(), "both translations agree on emptiness");
    check_match(all.match);
    if (!all.query.empty()) {
        run(db, trouvere::searcher::to_xapian_query(all.query));
        run(db, trouvere::searcher::to_xapian_query(any.query));
    }

    trouvere::SearchOptions options;
    options.limit = kLimit;
    options.snippet_chars = kSnippetChars;
    try {
        const trouvere::SearchResults results = searcher.search(input, options);
        check(!all.query.empty(), "QueryError when nothing is searchable");
        check(results.hits.size() <= kLimit, "no more hits than the limit");
        check(results.warnings == parsed.warnings, "search reports the parser's warnings");
        for (const trouvere::Hit& hit : results.hits) {
            trouvere::fuzz::check_snippet(hit.snippet, kSnippetChars, true);
        }
    } catch (const trouvere::QueryError& error) {
        check(all.query.empty(), "QueryError only when nothing is searchable",
              [&] { return error.what(); });
    }
    return 0;
}
