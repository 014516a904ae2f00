#pragma once

#include <xapian.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
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
    // NOLINTNEXTLINE(modernize-use-nodiscard): the path is a convenience, most callers know it
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

/// A program started with `args` (no shell), with `environment` added to (or overriding) the
/// current environment and stdin from /dev/null; its output is collected as it comes.
class ChildProcess {
public:
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& environment = {});
    /// Kills the program if it still runs, and waits for it.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] int pid() const { return pid_; }
    /// Sends `signal` unless the program has been waited for.
    void signal(int signal) const;
    /// True once the program has ended (it is then reaped: wait() returns at once).
    [[nodiscard]] bool finished();
    /// Waits for the end; exit_code is 128 + the signal for a killed program.
    ProcessResult wait();
    /// Standard error so far (complete after wait()).
    [[nodiscard]] std::string err_so_far();

private:
    struct Output;
    int pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
    std::unique_ptr<Output> output_;
};

/// Reads `fd` to its end into `into` (appending under `mutex`) on a thread of its own, then
/// closes it: a child filling one pipe then cannot block while the other is waited on.
[[nodiscard]] std::thread drain_pipe(int fd, std::string& into, std::mutex& mutex);

/// Runs `program` as ChildProcess does, and waits for it.
[[nodiscard]] ProcessResult run_process(const std::string& program,
                                        const std::vector<std::string>& args,
                                        const std::map<std::string, std::string>& environment = {});

/// Deterministic French-looking prose of `words` words, drawn with `seed`.
[[nodiscard]] std::string french_prose(unsigned seed, std::size_t words);

/// Random texts made of `pieces`: each text is zero to `max_pieces` pieces drawn at random, each
/// followed by `separator`. The seed is fixed, so that a failure replays.
class RandomTexts {
public:
    RandomTexts(std::vector<std::string> pieces, int max_pieces, std::string separator = {});
    ~RandomTexts();
    RandomTexts(const RandomTexts&) = delete;
    RandomTexts& operator=(const RandomTexts&) = delete;

    [[nodiscard]] std::string next();

private:
    struct Generator;
    std::vector<std::string> pieces_;
    std::string separator_;
    std::unique_ptr<Generator> generator_;
};

/// The id of every document in the database at `db`, read from its id terms (long ids keep
/// their hashed form).
[[nodiscard]] std::set<std::string> ids_in(const std::filesystem::path& db);

/// A stored document's full record (value slot scheme::kFullRecordSlot), its body decompressed.
struct StoredRecord {
    std::string header;
    std::string word_offsets;
    std::string sentence_breaks;
    std::string body;
};

/// The full record of `document`; nullopt when it or its body is damaged.
[[nodiscard]] std::optional<StoredRecord> stored_record(const Xapian::Document& document);

/// The bundled articles shipped in corpus/.
[[nodiscard]] std::filesystem::path corpus_dir();

}  // namespace trouvere::testing
