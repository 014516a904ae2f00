#pragma once

// Everything an embedder needs: index documents, search them, render snippets.
#include "trouvere/analyzer.h"
#include "trouvere/database_path.h"
#include "trouvere/document.h"
#include "trouvere/error.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"
#include "trouvere/query.h"
#include "trouvere/searcher.h"
#include "trouvere/snippet.h"
#include "trouvere/version.h"
