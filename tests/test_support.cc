#include "tests/test_support.h"

#include <xapian.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

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

std::thread drain_pipe(int fd, std::string& into, std::mutex& mutex) {
    return std::thread([fd, &into, &mutex] {
        char buffer[8192];
        for (;;) {
            ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n > 0) {
                std::lock_guard guard(mutex);
                into.append(buffer, static_cast<std::size_t>(n));
            } else if (n < 0 && errno == EINTR) {
                continue;
            } else {
                break;
            }
        }
        ::close(fd);
    });
}

struct ChildProcess::Output {
    std::mutex mutex;
    ProcessResult result;
    std::thread out_thread;
    std::thread err_thread;
};

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& environment)
    : output_(std::make_unique<Output>()) {
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        throw std::runtime_error("pipe failed");
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);

    std::vector<std::string> argv_storage{program};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(argv_storage.size() + 1);
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

    std::map<std::string, std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        merged[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
    for (const auto& [name, value] : environment) merged[name] = value;
    std::vector<std::string> env_storage;
    env_storage.reserve(merged.size());
    for (const auto& [name, value] : merged)
        env_storage.emplace_back(name).append("=").append(value);
    std::vector<char*> envp;
    envp.reserve(env_storage.size() + 1);
    for (auto& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);

    pid_t pid = 0;
    int spawn_error =
        posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    output_->out_thread = drain_pipe(out_pipe[0], output_->result.out, output_->mutex);
    output_->err_thread = drain_pipe(err_pipe[0], output_->result.err, output_->mutex);
    if (spawn_error != 0) {
        output_->out_thread.join();
        output_->err_thread.join();
        throw std::runtime_error("cannot start " + program + ": " +
                                 std::generic_category().message(spawn_error));
    }
    pid_ = pid;
}

ChildProcess::~ChildProcess() {
    // As wait(), without its exception: one thrown from a destructor ends the test program.
    if (!reaped_) {
        signal(SIGKILL);
        while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
        }
        reaped_ = true;
    }
    // The program is gone, so its ends of the pipes are closed and the readers finish.
    if (output_->out_thread.joinable()) output_->out_thread.join();
    if (output_->err_thread.joinable()) output_->err_thread.join();
}

void ChildProcess::signal(int signal) const {
    if (!reaped_) ::kill(pid_, signal);
}

bool ChildProcess::finished() {
    if (reaped_) return true;
    pid_t done = 0;
    while ((done = ::waitpid(pid_, &status_, WNOHANG)) < 0 && errno == EINTR) {
    }
    reaped_ = done == pid_;
    return reaped_;
}

ProcessResult ChildProcess::wait() {
    while (!reaped_) {
        if (::waitpid(pid_, &status_, 0) == pid_) {
            reaped_ = true;
        } else if (errno != EINTR) {
            throw std::runtime_error("waitpid failed");
        }
    }
    if (output_->out_thread.joinable()) output_->out_thread.join();
    if (output_->err_thread.joinable()) output_->err_thread.join();
    output_->result.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
    return output_->result;
}

std::string ChildProcess::err_so_far() {
    std::lock_guard guard(output_->mutex);
    return output_->result.err;
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& environment) {
    return ChildProcess(program, args, environment).wait();
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

}  // namespace trouvere::testing
