// Embedding trouvere: index a few documents and query them through the public API only.
//
//   embed_search DATABASE_FOLDER "query"
//
// The database is created if needed; the two sample documents are added (or replaced, as their
// ids are fixed) and committed explicitly, so that any error shows up here and not at exit.

#include <iostream>

#include <trouvere/trouvere.h>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: embed_search DATABASE_FOLDER QUERY\n";
        return 2;
    }
    try {
        {
            trouvere::IndexWriter writer(argv[1]);
            writer.add_or_replace({.id = "armee",
                                   .title = "L’armée malienne reprend Kidal",
                                   .body = "L’armée a repris la ville de Kidal au terme d’une "
                                           "opération militaire de plusieurs jours.",
                                   .date = "2023-11-14"});
            writer.add_or_replace({.id = "ble",
                                   .title = "Livraison de blé",
                                   .body = "La Russie a livré 25 000 tonnes de blé au Mali."});
            writer.commit();
        }

        trouvere::Searcher searcher(argv[1]);
        auto results = searcher.search(argv[2]);
        for (const auto& hit : results.hits) {
            std::cout << hit.rank << ". " << hit.title << "  [" << hit.id << "]\n   "
                      << trouvere::to_marked_text(hit.snippet, "[", "]") << '\n';
        }
        return results.hits.empty() ? 1 : 0;
    } catch (const trouvere::Error& error) {
        std::cerr << "embed_search: " << error.what() << '\n';
        return 2;
    }
}
