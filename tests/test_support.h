#pragma once

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
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
    // NOLINTNEXTLINE(modernize-use-nodiscard): the path is a convenience, most callers know it
    std::filesystem::path write(const std::string& relative, std::string_view bytes) const;

private:
    std::filesystem::path path_;
};

[[nodiscard]] std::string read_file(const std::filesystem::path& file);

/// How a program is started: what it reads, its environment, its limits, how long it may run.
struct ProcessOptions {
    /// Set (or, with nullopt, removed) in a copy of the current environment.
    std::map<std::string, std::optional<std::string>> environment;
    /// Written to its standard input, which is then closed; empty: standard input is /dev/null.
    std::string input;
    /// Killed with SIGKILL once this has passed since its start (ProcessResult::timed_out).
    std::optional<std::chrono::milliseconds> timeout;
    /// RLIMIT_FSIZE, with SIGXFSZ ignored: a write past it fails with EFBIG, as a write to a full
    /// disk fails with ENOSPC.
    std::optional<std::uint64_t> max_file_bytes;
    /// RLIMIT_AS: an allocation past it fails, as on a machine out of memory.
    std::optional<std::uint64_t> max_address_space;
    /// Drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its bounding set, so that root is
    /// refused files without read permission like any other user (needs CAP_SETPCAP).
    bool without_read_override = false;
};

/// How a program ended, what it printed, and what it used.
struct ProcessResult {
    /// Its exit status, or 128 + the signal that ended it.
    int exit_code = -1;
    /// The signal that ended it; 0 when it exited.
    int signal = 0;
    /// It ran past ProcessOptions::timeout and was killed.
    bool timed_out = false;
    std::string out;
    std::string err;
    /// Peak resident memory (getrusage's ru_maxrss), in KiB.
    long max_rss_kib = 0;
    /// User and system CPU time, which other programs on the machine do not inflate as they do
    /// the elapsed time.
    double cpu_seconds = 0;
    /// Bytes it asked read(2) and its kin for (rchar of /proc/PID/io), files mapped in memory
    /// not included; nullopt where /proc does not tell.
    std::optional<std::uint64_t> bytes_read;
};

/// A program started with `args` (no shell) as `options` say. One thread polls its standard
/// input, output and error together, so that no pipe left full or unread can block it, and
/// collects the output as it comes. Throws std::runtime_error when it cannot be started.
class ChildProcess {
public:
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const ProcessOptions& options = {});
    /// Kills the program if it still runs, and waits for it.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] int pid() const { return pid_; }
    /// Sends `signal` unless the program has been waited for.
    void signal(int signal) const;
    /// True once the program has ended (it is not reaped: wait() then returns at once).
    [[nodiscard]] bool finished() const;
    /// Waits for the end (or the timeout, then kills it) and reaps it. Throws std::runtime_error
    /// when it cannot be waited for.
    ProcessResult wait();
    /// Standard error so far (complete after wait()).
    [[nodiscard]] std::string err_so_far() const;

private:
    struct Io;
    int pid_ = -1;
    bool reaped_ = false;
    std::unique_ptr<Io> io_;
};

/// Runs `program` as ChildProcess does, and waits for it.
[[nodiscard]] ProcessResult run_process(const std::string& program,
                                        const std::vector<std::string>& args,
                                        const ProcessOptions& options = {});

/// Marks the running test case skipped, with `reason` in its output, for a capability the
/// machine lacks: the caller returns at once (`return skip("...");`). A test program whose every
/// test case that ran was skipped exits with kSkippedExitCode, which CTest counts as skipped.
/// Defined by the test runner (main.cc).
void skip(std::string_view reason);

/// The exit status of a test program that skipped everything it ran (CMake's SKIP_RETURN_CODE).
constexpr int kSkippedExitCode = 77;

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

/// The queries of bench/queries.tsv, without their classes.
[[nodiscard]] std::vector<std::string> benchmark_queries();

/// Whether two scores are equal but for their last bits: sums of the same weights taken in
/// another order differ there.
[[nodiscard]] bool scores_agree(double a, double b);

}  // namespace trouvere::testing
