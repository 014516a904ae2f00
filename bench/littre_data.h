#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/scratch_dir.h"
#include "trouvere/file_indexer.h"
#include "trouvere/index_writer.h"

namespace trouvere::bench {

/// The environment variable `name`, or `fallback` when it is unset or empty.
inline std::string environment_or(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
}

/// The folder of the corpora scripts/fetch-corpus makes: TROUVERE_BENCH_DATA, else bench/data.
inline std::filesystem::path data_dir() {
    return environment_or("TROUVERE_BENCH_DATA", "bench/data");
}

/// An index of data_dir()/littre.jsonl with its native index, as search-index leaves it:
/// TROUVERE_BENCH_DB when set, else one built in the scratch folder on first use.
inline const std::string& littre_db() {
    static const std::string db = [] {
        std::string given = environment_or("TROUVERE_BENCH_DB", "");
        if (!given.empty()) return given;
        std::string path = (scratch_dir() / "littre-db").string();
        IndexWriter writer(path);
        (void)index_paths(writer, {(data_dir() / "littre.jsonl").string()});
        writer.commit();
        (void)writer.update_native_index();
        return path;
    }();
    return db;
}

}  // namespace trouvere::bench
