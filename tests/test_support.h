#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace trouvere::testing {

/// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// Writes `bytes` to `relative` (creating folders) and returns the full path.
    std::filesystem::path write(const std::string& relative, std::string_view bytes) const;

private:
    std::filesystem::path path_;
};

[[nodiscard]] std::string read_file(const std::filesystem::path& file);

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `program` with `args` (no shell), with `environment` added to (or overriding) the current
/// environment, stdin from /dev/null, and waits for it.
[[nodiscard]] ProcessResult run_process(const std::string& program,
                                        const std::vector<std::string>& args,
                                        const std::map<std::string, std::string>& environment = {});

/// The bundled articles shipped in corpus/.
[[nodiscard]] std::filesystem::path corpus_dir();

}  // namespace trouvere::testing
