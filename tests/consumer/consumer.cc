// Includes only the installed public headers: if they leaked Xapian or ICU, this would not build
// against a package that does not export them.
#include <trouvere/trouvere.h>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    // The headers and the library loaded come from the same build.
    if (trouvere::version() != TROUVERE_VERSION) return 3;
    trouvere::IndexWriter writer(argv[1]);
    writer.add_or_replace({.id = "doc", .title = "Coopération", .body = "L’accord militaire."});
    writer.commit();
    trouvere::Searcher searcher(argv[1]);
    auto results = searcher.search("accords");
    if (results.hits.size() != 1) return 1;
    std::cout << trouvere::to_html(results.hits[0].snippet) << '\n';
    return 0;
}
