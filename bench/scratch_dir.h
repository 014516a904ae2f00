#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace trouvere::bench {

/// The process's scratch folder for benchmark databases under the system temp dir (TMPDIR),
/// created on first use and removed with everything in it at exit.
inline const std::filesystem::path& scratch_dir() {
    struct Folder {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("trouvere-bench-" + std::to_string(::getpid()));
        Folder() { std::filesystem::create_directories(path); }
        ~Folder() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
        Folder(const Folder&) = delete;
        Folder& operator=(const Folder&) = delete;
    };
    static Folder folder;
    return folder.path;
}

}  // namespace trouvere::bench
