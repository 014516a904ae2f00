#include "tests/test_support.h"

#include <xapian.h>

#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include "core/stored_document.h"
#include "core/term_scheme.h"

namespace trouvere::testing {

TempDir::TempDir() {
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = std::filesystem::temp_directory_path() /
                         ("trouvere-test-" + std::to_string(random()) + std::to_string(random()));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::string& relative, std::string_view bytes) const {
    auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

namespace {

// What the child needs, prepared before fork: between fork and exec only async-signal-safe calls
// may run, since another thread may have held the allocator's lock when the process was copied.
struct Launch {
    std::vector<std::string> argv_storage;
    std::vector<char*> argv;
    std::vector<std::string> env_storage;
    std::vector<char*> envp;
};

Launch prepare(const std::string& program, const std::vector<std::string>& args,
               const ProcessOptions& options) {
    Launch launch;
    launch.argv_storage.push_back(program);
    launch.argv_storage.insert(launch.argv_storage.end(), args.begin(), args.end());
    for (auto& arg : launch.argv_storage) launch.argv.push_back(arg.data());
    launch.argv.push_back(nullptr);

    std::map<std::string, std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        merged[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
    for (const auto& [name, value] : options.environment) {
        if (value) {
            merged[name] = *value;
        } else {
            merged.erase(name);
        }
    }
    for (const auto& [name, value] : merged)
        launch.env_storage.emplace_back(name).append("=").append(value);
    for (auto& entry : launch.env_storage) launch.envp.push_back(entry.data());
    launch.envp.push_back(nullptr);
    return launch;
}

// A pipe whose ends close with it; both ends close on exec.
struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int ends[2];
        if (::pipe2(ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
        read_end = ends[0];
        write_end = ends[1];
    }
    ~Pipe() {
        close_read_end();
        close_write_end();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void close_read_end() {
        if (read_end >= 0) ::close(read_end);
        read_end = -1;
    }
    void close_write_end() {
        if (write_end >= 0) ::close(write_end);
        write_end = -1;
    }
};

// In the child: tells the parent why it could not start the program, and ends.
[[noreturn]] void fail_to_start(int report) {
    const int error = errno;
    // Nothing more to do if even this fails: the parent then sees an exit status of 127.
    [[maybe_unused]] const ssize_t written = ::write(report, &error, sizeof error);
    ::_exit(127);
}

// The child's side, from fork to exec.
[[noreturn]] void become(const std::string& program, const Launch& launch,
                         const ProcessOptions& options, int input, int out, int err, int report) {
    if (input < 0) input = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (input < 0 || ::dup2(input, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0)
        fail_to_start(report);
    // The thread that forked may block signals the program expects to receive.
    sigset_t none;
    sigemptyset(&none);
    if (::pthread_sigmask(SIG_SETMASK, &none, nullptr) != 0) fail_to_start(report);
    if (options.max_file_bytes) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;  // stays ignored across exec
        const rlimit limit{*options.max_file_bytes, *options.max_file_bytes};
        if (::sigaction(SIGXFSZ, &ignore, nullptr) != 0 || ::setrlimit(RLIMIT_FSIZE, &limit) != 0)
            fail_to_start(report);
    }
    if (options.max_address_space) {
        const rlimit limit{*options.max_address_space, *options.max_address_space};
        if (::setrlimit(RLIMIT_AS, &limit) != 0) fail_to_start(report);
    }
    if (options.without_read_override &&
        (::prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) != 0 ||
         ::prctl(PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH, 0, 0, 0) != 0)) {
        fail_to_start(report);
    }
    ::execve(program.c_str(), launch.argv.data(), launch.envp.data());
    fail_to_start(report);
}

// Through syscall(2): the <sys/pidfd.h> of glibc 2.36 (Debian 12) declares these without C
// linkage, so that C++ cannot link to them.
int pidfd_open(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

int pidfd_send_signal(int pidfd, int signal) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

void close_and_forget(int& fd) {
    ::close(fd);
    fd = -1;
}

// rchar of /proc/PID/io, which a zombie still shows, its reaped children included.
std::optional<std::uint64_t> bytes_read_by(int pid) {
    std::ifstream io("/proc/" + std::to_string(pid) + "/io");
    std::string name;
    std::uint64_t value = 0;
    while (io >> name >> value) {
        if (name == "rchar:") return value;
    }
    return std::nullopt;
}

}  // namespace

struct ChildProcess::Io {
    std::string input;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    int input_fd = -1;
    int out_fd = -1;
    int err_fd = -1;
    int pidfd = -1;
    std::thread thread;
    mutable std::mutex mutex;
    ProcessResult result;  // out, err and timed_out, under `mutex`

    ~Io() {
        for (int fd : {input_fd, out_fd, err_fd, pidfd}) {
            if (fd >= 0) ::close(fd);
        }
    }
    Io() = default;
    Io(const Io&) = delete;
    Io& operator=(const Io&) = delete;

    // Feeds the input, drains both outputs, and kills the program at the deadline, until it has
    // ended and what it wrote is read. Output a grandchild writes after that is not waited for.
    void pump() {
        // A program that exits before reading its input makes the write fail with EPIPE; the
        // SIGPIPE that comes with it is blocked here, and dropped with this thread.
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
        std::size_t written = 0;
        bool ended = pidfd < 0;
        char buffer[65536];
        for (;;) {
            pollfd fds[4];
            nfds_t count = 0;
            for (int fd : {input_fd, out_fd, err_fd}) {
                if (fd >= 0)
                    fds[count++] = {fd, fd == input_fd ? short{POLLOUT} : short{POLLIN}, 0};
            }
            if (count == 0 && ended) break;
            if (!ended) fds[count++] = {pidfd, POLLIN, 0};
            int wait_ms = -1;
            if (ended) {
                wait_ms = 0;
            } else if (deadline) {
                auto left = std::chrono::ceil<std::chrono::milliseconds>(
                    *deadline - std::chrono::steady_clock::now());
                wait_ms = static_cast<int>(std::max<std::int64_t>(left.count(), 0));
            }
            int ready = ::poll(fds, count, wait_ms);
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) break;
            if (ready == 0) {
                if (ended) break;  // drained
                pidfd_send_signal(pidfd, SIGKILL);
                deadline.reset();
                std::lock_guard guard(mutex);
                result.timed_out = true;
                continue;
            }
            for (nfds_t i = 0; i < count; ++i) {
                if (fds[i].revents == 0) continue;
                const int fd = fds[i].fd;
                if (fd == pidfd) {
                    ended = true;
                } else if (fd == input_fd) {
                    ssize_t n = ::write(fd, input.data() + written, input.size() - written);
                    if (n > 0) written += static_cast<std::size_t>(n);
                    if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input.size())
                        close_and_forget(input_fd);
                } else {
                    ssize_t n = ::read(fd, buffer, sizeof buffer);
                    if (n > 0) {
                        std::lock_guard guard(mutex);
                        (fd == out_fd ? result.out : result.err)
                            .append(buffer, static_cast<std::size_t>(n));
                    } else if (n == 0 || errno != EINTR) {
                        close_and_forget(fd == out_fd ? out_fd : err_fd);
                    }
                }
            }
        }
    }
};

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const ProcessOptions& options)
    : io_(std::make_unique<Io>()) {
    const Launch launch = prepare(program, args, options);
    std::optional<Pipe> input;
    if (!options.input.empty()) {
        input.emplace();
        if (::fcntl(input->write_end, F_SETFL, O_NONBLOCK) != 0) throw std::runtime_error("fcntl");
    }
    Pipe out;
    Pipe err;
    Pipe report;

    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        become(program, launch, options, input ? input->read_end : -1, out.write_end, err.write_end,
               report.write_end);
    }
    // A zombie has a pidfd too; only a child reaped already (SIGCHLD ignored) has none, and the
    // pump then knows that it has ended.
    io_->pidfd = pidfd_open(pid);
    if (io_->pidfd < 0 && errno != ESRCH) {
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        throw std::runtime_error("pidfd_open failed");
    }
    if (input) input->close_read_end();
    out.close_write_end();
    err.close_write_end();
    report.close_write_end();
    int error = 0;
    ssize_t n = 0;
    while ((n = ::read(report.read_end, &error, sizeof error)) < 0 && errno == EINTR) {
    }
    if (n > 0) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        throw std::runtime_error("cannot start " + program + ": " +
                                 std::generic_category().message(error));
    }
    pid_ = pid;
    if (input) {
        io_->input = options.input;
        io_->input_fd = std::exchange(input->write_end, -1);
    }
    io_->out_fd = std::exchange(out.read_end, -1);
    io_->err_fd = std::exchange(err.read_end, -1);
    if (options.timeout) io_->deadline = std::chrono::steady_clock::now() + *options.timeout;
    io_->thread = std::thread([io = io_.get()] { io->pump(); });
}

ChildProcess::~ChildProcess() {
    // As wait(), without its exception: one thrown from a destructor ends the test program.
    if (!reaped_) pidfd_send_signal(io_->pidfd, SIGKILL);
    // The program ends, so its ends of the pipes close and the pump finishes.
    if (io_->thread.joinable()) io_->thread.join();
    if (!reaped_) {
        while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

void ChildProcess::signal(int signal) const {
    if (!reaped_) pidfd_send_signal(io_->pidfd, signal);
}

bool ChildProcess::finished() const {
    if (reaped_) return true;
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
        if (errno != EINTR) return true;  // gone already: nothing to wait for
    }
    return info.si_pid == pid_;
}

ProcessResult ChildProcess::wait() {
    if (io_->thread.joinable()) io_->thread.join();
    ProcessResult result;
    {
        std::lock_guard guard(io_->mutex);
        result = io_->result;
    }
    if (reaped_) return result;
    // Still a zombie here: /proc shows what it read.
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) < 0) {
        if (errno != EINTR) throw std::runtime_error("waitid failed");
    }
    result.bytes_read = bytes_read_by(pid_);
    int status = 0;
    rusage usage{};
    while (::wait4(pid_, &status, 0, &usage) < 0) {
        if (errno != EINTR) throw std::runtime_error("wait4 failed");
    }
    reaped_ = true;
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + result.signal;
    result.max_rss_kib = usage.ru_maxrss;
    auto seconds = [](const timeval& time) {
        return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
    };
    result.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    {
        std::lock_guard guard(io_->mutex);
        io_->result = result;
    }
    return result;
}

std::string ChildProcess::err_so_far() const {
    std::lock_guard guard(io_->mutex);
    return io_->result.err;
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const ProcessOptions& options) {
    return ChildProcess(program, args, options).wait();
}

std::string french_prose(unsigned seed, std::size_t words) {
    static const std::vector<std::string> vocabulary = {
        "le",        "la",        "les",       "un",        "une",     "des",          "et",
        "de",        "du",        "au",        "dans",      "pour",    "avec",         "sur",
        "armée",     "accord",    "blé",       "récolte",   "marché",  "gouvernement", "élection",
        "président", "ministre",  "frontière", "village",   "rivière", "école",        "hôpital",
        "économie",  "été",       "hiver",     "printemps", "automne", "forêt",        "montagne",
        "littoral",  "ouvrier",   "paysan",    "cheval",    "navire",  "port",         "fromage",
        "vin",       "pain",      "théâtre",   "musée",     "journal", "lettre",       "chanson",
        "église",    "château",   "pont",      "route",     "chemin",  "ville",        "campagne",
        "soleil",    "pluie",     "neige",     "vent",      "orage",   "nuage",        "mer",
        "île",       "plage",     "sable",     "pierre",    "fer",     "bois",         "il",
        "elle",      "ils",       "nous",      "a",         "est",     "sont",         "livre",
        "reçoit",    "construit", "traverse",  "annonce",   "signe",   "visite"};
    std::mt19937 random(seed);
    std::uniform_int_distribution<std::size_t> pick(0, vocabulary.size() - 1);
    std::string text;
    for (std::size_t i = 0; i < words; ++i) {
        if (i > 0) text += (i % 12 == 0) ? ". " : " ";
        text += vocabulary[pick(random)];
    }
    return text + ".";
}

struct RandomTexts::Generator {
    std::mt19937 random{20261123};
    std::uniform_int_distribution<std::size_t> pick;
    std::uniform_int_distribution<int> length;
};

RandomTexts::RandomTexts(std::vector<std::string> pieces, int max_pieces, std::string separator)
    : pieces_(std::move(pieces)),
      separator_(std::move(separator)),
      generator_(std::make_unique<Generator>()) {
    generator_->pick = std::uniform_int_distribution<std::size_t>(0, pieces_.size() - 1);
    generator_->length = std::uniform_int_distribution<int>(0, max_pieces);
}

RandomTexts::~RandomTexts() = default;

std::string RandomTexts::next() {
    std::string text;
    for (int n = generator_->length(generator_->random); n > 0; --n) {
        text += pieces_[generator_->pick(generator_->random)];
        text += separator_;
    }
    return text;
}

std::optional<StoredRecord> stored_record(const Xapian::Document& document) {
    const std::string value = document.get_value(scheme::kFullRecordSlot);
    auto record = stored::split_full_record(value);
    if (!record) return std::nullopt;
    auto body = stored::decompress_body(record->stored_body);
    if (!body) return std::nullopt;
    return StoredRecord{.header = std::string(record->header),
                        .word_offsets = std::string(record->word_offsets),
                        .sentence_breaks = std::string(record->sentence_breaks),
                        .body = std::move(*body)};
}

std::filesystem::path corpus_dir() {
    return TROUVERE_CORPUS_DIR;
}

std::set<std::string> ids_in(const std::filesystem::path& db) {
    std::set<std::string> ids;
    Xapian::Database database(db.string());
    for (auto term = database.allterms_begin("Q"); term != database.allterms_end("Q"); ++term) {
        ids.insert((*term).substr(1));
    }
    return ids;
}

std::vector<std::string> benchmark_queries() {
    std::vector<std::string> queries;
    std::ifstream in(corpus_dir().parent_path() / "bench" / "queries.tsv");
    for (std::string line; std::getline(in, line);) {
        const auto tab = line.find('\t');
        if (tab != std::string::npos) queries.push_back(line.substr(tab + 1));
    }
    return queries;
}

bool scores_agree(double a, double b) {
    constexpr double kTolerance = 1e-9;
    return std::fabs(a - b) <= kTolerance * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace trouvere::testing
