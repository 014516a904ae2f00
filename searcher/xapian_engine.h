#pragma once

#include <xapian.h>

#include <memory>
#include <string>

#include "searcher/match_engine.h"
#include "searcher/term_query.h"

namespace trouvere::searcher {

/// `query` as the Xapian query that matches and weighs the same documents.
[[nodiscard]] Xapian::Query to_xapian_query(const TermQuery& query);

/// Opens the trouvere database at `path` with Xapian's matcher. Throws DatabaseError naming the
/// path if there is none, it cannot be opened, or another version of trouvere wrote it.
[[nodiscard]] std::unique_ptr<MatchEngine> open_xapian_engine(const std::string& path);

}  // namespace trouvere::searcher
