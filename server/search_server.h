#pragma once

#include "server/http_server.h"
#include "server/searcher_pool.h"

namespace trouvere::server {

/// The routes of `search serve`, answered from `searchers` (which must outlive `http`):
///
///   GET /                 the search page (server/search_page.html)
///   GET /search?q=…       what `search --json` prints for the same options: limit, offset,
///                         snippet_chars, sort, engine, since, until, facets
///   GET /documents/ID     one stored document (to_json(const Document&))
///   GET /health           the database's document count, revision and answering engine
///
/// HEAD is answered as GET without the body; other methods get 405. Every error is JSON,
/// `{"error": "…"}`: 400 for a bad query or parameter (the message `search` prints, the
/// parameter named), 404 for an unknown document or path, 503 while the database cannot be
/// opened, 500 for a failure of the server itself.
void add_search_routes(HttpServer& http, SearcherPool& searchers);

}  // namespace trouvere::server
