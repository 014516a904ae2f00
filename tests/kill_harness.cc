// Kills search-index with SIGKILL at random moments and checks what it leaves.
//
// A generated corpus goes through phases: a first build, updates (files changed, added, JSON
// Lines records dropped), deletions run with --prune, and now and then a rebuild from nothing.
// Each phase is first run uninterrupted on a copy of the database, which gives the expected end
// state. Then the real run is started and killed at a random moment, again and again, and after
// every kill:
//   - xapian-check reports no error and the database opens and answers a query;
//   - it holds exactly the state of the last commit completed: search-index -v reports each
//     commit before and after it, so the harness knows it, except for a kill between the two
//     lines, where the commit may or may not have happened (both states are accepted, nothing
//     else);
// and once the phase is run to its end, the database equals the uninterrupted run's: document
// ids, stored data, terms with their frequencies, and every metadata record.
//
// A run ends by building the native index (trouvere.native) from its last commit. A quarter of
// the kills of updates and --prune runs, and one of each first build, aim at that build: the
// harness waits for the run to report its last commit, then, in a first build, for a random
// moment of the build, and otherwise for the build's temporary file (trouvere.native.tmp-<pid>) to
// be created, when it stops the run at once and kills it. After every kill the native index must be
// the one from before the run or a complete new one, never a torn one: it opens and passes
// NativeIndex::check(); built from the database's current state, it answers as Xapian does; built
// from an older one, searches refuse it as stale with --engine native and answer from Xapian
// otherwise. Once the phase is run to its end, the native index is current and no temporary file is
// left.
//
// The state expected after a commit made after K files is computed from the corpus model (which
// file owns which id), the state before the run and the uninterrupted run's state: the first K
// files in the indexer's order have their new documents and records, the others their old ones,
// and the end of a --prune run drops those of deleted files.
//
//   kill_harness --search-index BIN --xapian-check BIN [--kills 50] [--seed 1]
//                [--documents 3000] [--commit-every 150] [--max-seconds 900] [--work DIR]
// Exit status 0 when every check passed and the wanted number of kills was reached.

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>
#include <xapian.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "native/index_file.h"
#include "native/native_index.h"
#include "tests/test_support.h"
#include "trouvere/error.h"
#include "trouvere/searcher.h"

namespace fs = std::filesystem;
using trouvere::testing::ChildProcess;
using trouvere::testing::run_process;

namespace {

using Clock = std::chrono::steady_clock;
using Engine = trouvere::SearchEngine;
using State = std::map<std::string, std::string>;  // item ("doc:<id>", "meta:<key>") -> content

struct Settings {
    std::string search_index;
    std::string xapian_check;
    int kills = 50;
    unsigned seed = 1;
    int documents = 3000;
    int commit_every = 150;
    double max_seconds = 900;
    std::string work;
};

// The corpus: text files with one document each, JSON Lines files with several.
struct CorpusFile {
    std::vector<std::pair<std::string, std::string>> documents;  // id, body
    bool json_lines = false;
};
using Corpus = std::map<std::string, CorpusFile>;  // relative path -> content

constexpr int kRecordsPerJsonLines = 10;

// How the native index's temporary files are named (docs/NATIVE_FORMAT.md): this, then a pid.
constexpr std::string_view kTemporaryPrefix = "trouvere.native.tmp-";

class Harness {
public:
    explicit Harness(Settings settings) : settings_(std::move(settings)), random_(settings_.seed) {}

    int run() {
        fs::remove_all(work_);
        fs::create_directories(corpus_dir_);
        corpus_dir_ = fs::canonical(corpus_dir_);
        auto started = Clock::now();
        int phase = 0;
        while (kills_ < settings_.kills) {
            if (seconds_since(started) > settings_.max_seconds) {
                fail("time is up after " + std::to_string(kills_) + " kills");
                break;
            }
            std::string kind = next_phase(phase);
            if (!run_phase(phase, kind)) break;
            ++phase;
        }
        std::cout << "kill harness: seed " << settings_.seed << ", " << phase << " phases, "
                  << kills_ << " kills (" << kills_in_commit_ << " during a commit, "
                  << kills_before_first_commit_ << " before a first build's commit, "
                  << kills_in_prune_runs_ << " in --prune runs, " << kills_while_pruning_
                  << " while pruning, " << kills_in_native_build_
                  << " while building the native index, " << kills_while_native_written_
                  << " while writing its file), " << completed_attempts_
                  << " runs ended before their kill, " << checks_ << " states and "
                  << native_checks_ << " native indexes checked, " << failures_ << " failures, "
                  << static_cast<int>(seconds_since(started)) << " s\n";
        std::cout << (failures_ == 0 ? 1 : 0) << " passed, " << (failures_ == 0 ? 0 : 1)
                  << " failed\n";
        if (failures_ == 0) fs::remove_all(work_);
        return failures_ == 0 ? 0 : 1;
    }

private:
    static double seconds_since(Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    }

    void fail(const std::string& message) {
        ++failures_;
        std::cerr << "kill harness: FAILED: " << message << '\n';
    }

    // First build, then updates and --prune runs in turn; every sixth phase starts from nothing.
    static std::string next_phase(int phase) {
        if (phase % 6 == 0) return "first build";
        return phase % 2 == 1 ? "update" : "prune";
    }

    // ---- the corpus ----

    std::string body(int words) { return trouvere::testing::french_prose(random_(), words); }

    CorpusFile text_file(const std::string& path) {
        return {{{path, "Titre " + std::to_string(random_() % 1000) + "\n\n" + body(60)}}, false};
    }

    CorpusFile json_lines_file(const std::string& stem, int first_record) {
        CorpusFile file{{}, true};
        for (int k = 0; k < kRecordsPerJsonLines; ++k) {
            file.documents.emplace_back(stem + "-" + std::to_string(first_record + k), body(40));
        }
        return file;
    }

    void write_file(const std::string& path, const CorpusFile& file, int phase) {
        std::string bytes;
        if (file.json_lines) {
            for (const auto& [id, text] : file.documents) {
                bytes.append(R"({"id": ")").append(id).append(R"(", "title": "Notice )");
                bytes.append(id).append(R"(", "body": ")").append(text).append("\"}\n");
            }
        } else {
            bytes = file.documents.front().second;
        }
        fs::path full = corpus_dir_ / path;
        fs::create_directories(full.parent_path());
        std::FILE* out = std::fopen(full.c_str(), "wb");
        if (out == nullptr) throw std::runtime_error("cannot write " + full.string());
        bool written = std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
        // fclose writes what was buffered: a full disk may show only there.
        if (std::fclose(out) != 0 || !written) {
            throw std::runtime_error("cannot write " + full.string());
        }
        // A clock of its own, a minute per phase: a rewritten file always looks changed.
        fs::last_write_time(full, fs::file_time_type(std::chrono::seconds(1'700'000'000)) +
                                      std::chrono::minutes(phase));
        for (const auto& [id, text] : file.documents) owner_[id] = path;
    }

    static std::string text_path(int n) {
        std::ostringstream name;
        name << 't' << std::setfill('0') << std::setw(2) << n % 37 << '/' << std::setw(5) << n
             << ".txt";
        return name.str();
    }

    void make_corpus(int phase, const std::string& kind) {
        std::uniform_real_distribution<double> unit(0, 1);
        if (kind == "first build") {
            corpus_.clear();
            fs::remove_all(corpus_dir_);
            fs::create_directories(corpus_dir_);
            int jsonl_files = settings_.documents / 5 / kRecordsPerJsonLines;
            int text_files = settings_.documents - jsonl_files * kRecordsPerJsonLines;
            for (int n = 0; n < text_files; ++n) corpus_[text_path(next_file_++)] = {};
            for (int n = 0; n < jsonl_files; ++n) {
                int number = next_file_++;
                corpus_["j/" + std::to_string(number) + ".jsonl"] =
                    json_lines_file("j" + std::to_string(number), 0);
            }
            for (auto& [path, file] : corpus_) {
                if (!file.json_lines) file = text_file(path);
                write_file(path, file, phase);
            }
            return;
        }
        if (kind == "update") {
            for (auto& [path, file] : corpus_) {
                if (unit(random_) > 0.4) continue;
                if (file.json_lines) {
                    // Some records rewritten, the last few dropped, new ones added.
                    std::string stem = fs::path(path).stem().string();
                    int first = std::stoi(file.documents.back().first.substr(stem.size() + 2));
                    CorpusFile updated = json_lines_file("j" + stem, first + 1);
                    updated.documents.insert(updated.documents.begin(), file.documents.begin(),
                                             file.documents.begin() + kRecordsPerJsonLines / 2);
                    updated.documents[0].second = body(40);
                    updated.documents.resize(kRecordsPerJsonLines);
                    file = updated;
                } else {
                    file = text_file(path);
                }
                write_file(path, file, phase);
            }
            for (int n = 0; n < settings_.documents / 15; ++n) {
                std::string path = text_path(next_file_++);
                corpus_[path] = text_file(path);
                write_file(path, corpus_[path], phase);
            }
            return;
        }
        // prune: a third of the files deleted, a few changed
        for (auto entry = corpus_.begin(); entry != corpus_.end();) {
            double draw = unit(random_);
            if (draw < 0.3) {
                fs::remove(corpus_dir_ / entry->first);
                entry = corpus_.erase(entry);
                continue;
            }
            if (draw < 0.35 && !entry->second.json_lines) {
                entry->second = text_file(entry->first);
                write_file(entry->first, entry->second, phase);
            }
            ++entry;
        }
    }

    // ---- database states ----

    // Every document (stored values, terms and their frequencies) and every metadata record, by
    // id and key; the scheme record is checked on its own, since an empty new database has it.
    static std::optional<State> read_state(const fs::path& db, std::string& problem) {
        if (!fs::exists(db)) return std::nullopt;
        State state;
        try {
            Xapian::Database database(db.string());
            for (auto doc = database.postlist_begin(""); doc != database.postlist_end(""); ++doc) {
                Xapian::Document document = database.get_document(*doc);
                std::string id;
                std::ostringstream content;
                for (auto value = document.values_begin(); value != document.values_end();
                     ++value) {
                    content << value.get_valueno() << ':' << *value << '\n';
                }
                for (auto term = document.termlist_begin(); term != document.termlist_end();
                     ++term) {
                    if ((*term).starts_with("Q")) id = (*term).substr(1);
                    content << *term << ':' << term.get_wdf() << ' ';
                }
                if (id.empty() || !state.emplace("doc:" + id, content.str()).second) {
                    problem = "a document without a unique id";
                }
            }
            bool has_scheme = false;
            for (auto key = database.metadata_keys_begin(); key != database.metadata_keys_end();
                 ++key) {
                if ((*key).starts_with("source:")) {
                    state["meta:" + *key] = database.get_metadata(*key);
                } else {
                    has_scheme = true;
                }
            }
            if (!has_scheme) problem = "no scheme record";
        } catch (const Xapian::Error& error) {
            problem = "cannot read the database: " + error.get_description();
        }
        return state;
    }

    // The file an item belongs to, "" for none.
    [[nodiscard]] std::string owner(const std::string& item) const {
        if (item.starts_with("doc:")) {
            auto found = owner_.find(item.substr(4));
            return found == owner_.end() ? "" : found->second;
        }
        std::string prefix = "meta:source:" + corpus_dir_.string() + "/";
        return item.starts_with(prefix) ? item.substr(prefix.size()) : "";
    }

    // The state after a commit made once the first `files` files were indexed.
    [[nodiscard]] State expected_after(const State& before, const State& end, std::size_t files,
                                       bool end_of_run, bool prune) const {
        // The indexer's order: files sorted by their path relative to the folder given.
        std::set<std::string> done;
        for (const auto& [path, file] : corpus_) {
            if (done.size() == files) break;
            done.insert(path);
        }
        State state;
        for (const auto& [item, content] : before) {
            if (!done.contains(owner(item))) state[item] = content;
        }
        for (const auto& [item, content] : end) {
            if (done.contains(owner(item))) state[item] = content;
        }
        if (end_of_run && prune) {
            std::erase_if(state, [&](const auto& entry) {
                std::string file = owner(entry.first);
                return !file.empty() && !corpus_.contains(file);
            });
        }
        return state;
    }

    static std::string describe_difference(const State& actual, const State& expected) {
        std::size_t missing = 0;
        std::size_t extra = 0;
        std::size_t different = 0;
        std::string example;
        for (const auto& [item, content] : expected) {
            auto found = actual.find(item);
            if (found == actual.end()) {
                ++missing;
                if (example.empty()) example = "missing " + item;
            } else if (found->second != content) {
                ++different;
                if (example.empty()) example = "different " + item;
            }
        }
        for (const auto& [item, content] : actual) {
            if (!expected.contains(item)) {
                ++extra;
                if (example.empty()) example = "extra " + item;
            }
        }
        return std::to_string(missing) + " missing, " + std::to_string(extra) + " extra, " +
               std::to_string(different) + " different (" + example + ")";
    }

    // xapian-check and a real query, on a database a writer may have left at any moment.
    bool check_database(const fs::path& db, const std::string& when) {
        ++checks_;
        auto checked = run_process(settings_.xapian_check, {db.string()});
        if (checked.exit_code != 0 || checked.out.find("No errors found") == std::string::npos) {
            fail(when + ": xapian-check " + db.string() + " exited " +
                 std::to_string(checked.exit_code) + ": " + checked.out + checked.err);
            return false;
        }
        try {
            trouvere::Searcher searcher(db.string());
            (void)searcher.search("armée OR blé");
        } catch (const trouvere::Error& error) {
            fail(when + ": the database does not answer: " + error.what());
            return false;
        }
        return true;
    }

    [[nodiscard]] std::vector<std::string> arguments(const fs::path& db, bool prune) const {
        std::vector<std::string> args{"--db", db.string(), "-v", "--commit-every",
                                      std::to_string(settings_.commit_every)};
        if (prune) args.emplace_back("--prune");
        args.push_back(corpus_dir_.string());
        return args;
    }

    // ---- one phase ----

    bool run_phase(int phase, const std::string& kind) {
        bool prune = kind == "prune";
        if (kind == "first build") fs::remove_all(db_);
        make_corpus(phase, kind);

        // The uninterrupted run, on a copy.
        fs::remove_all(reference_);
        if (fs::exists(db_)) fs::copy(db_, reference_, fs::copy_options::recursive);
        auto started = Clock::now();
        ChildProcess reference_writer(settings_.search_index, arguments(reference_, prune));
        // The native build starts once the run reports its last commit.
        while (!reference_writer.finished() && !last_commit_made(reference_writer.err_so_far())) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        auto native_started = Clock::now();
        auto reference_run = reference_writer.wait();
        double reference_seconds = seconds_since(started);
        native_seconds_ = seconds_since(native_started);
        if (reference_run.exit_code != 0) {
            fail("phase " + std::to_string(phase) +
                 ": the uninterrupted run failed: " + reference_run.err);
            return false;
        }
        std::string problem;
        State end = *read_state(reference_, problem);
        std::string where = "phase " + std::to_string(phase) + " (" + kind + ")";
        if (!problem.empty()) {
            fail(where + ": uninterrupted run: " + problem);
            return false;
        }
        auto now_state = read_state(db_, problem);
        State before = now_state.value_or(State{});
        if (expected_after(before, end, corpus_.size(), true, prune) != end) {
            fail(
                where + ": the harness's model disagrees with the uninterrupted run: " +
                describe_difference(end, expected_after(before, end, corpus_.size(), true, prune)));
            return false;
        }

        // Killed runs, each resuming the last one, until one ends on its own or enough kills.
        int kills_wanted = kind == "first build" ? 3 : 8;
        std::uniform_real_distribution<double> moment(0, reference_seconds * 1.1);
        for (int attempt = 0; attempt < kills_wanted && kills_ < settings_.kills; ++attempt) {
            std::string when = where + " kill " + std::to_string(kills_ + 1);
            double delay = moment(random_);
            // Every other kill of a --prune run aims at its end, where the deletions are.
            if (prune && attempt % 2 == 1) {
                delay =
                    reference_seconds * std::uniform_real_distribution<double>(0.7, 1.1)(random_);
            }
            const std::optional<NativeState> native_before = native_state(db_);
            ChildProcess writer(settings_.search_index, arguments(db_, prune));
            // Random moments often fall in the native build already, which ends every run, and
            // almost never in the writing of its file: a quarter of the kills of updates and
            // --prune runs aim at the file. A first build swaps in a new folder, where the file
            // cannot be watched for: one of its kills aims at a moment of its native build.
            const bool first_build = kind == "first build";
            if (first_build ? attempt == 2 : attempt % 4 == 1) {
                const bool at_file = !first_build;
                if (!wait_for_native_build(writer, at_file)) {
                    fail(when + ": search-index did not reach its native build");
                    return false;
                }
                // Writing the file takes a millisecond or so: the writer is stopped as soon as
                // its file is seen, so that the kill lands before the rename.
                if (at_file) writer.signal(SIGSTOP);
                delay = at_file
                            ? 0
                            : std::uniform_real_distribution<double>(0, native_seconds_)(random_);
            }
            std::this_thread::sleep_for(std::chrono::duration<double>(delay));
            const bool native_written = being_written(db_);
            writer.signal(SIGKILL);
            auto result = writer.wait();
            if (result.exit_code == 0) {
                ++completed_attempts_;
                break;  // it finished first: the check below is the one after a completed run
            }
            if (result.exit_code != 128 + SIGKILL) {
                fail(when + ": search-index exited " + std::to_string(result.exit_code) + ": " +
                     result.err);
                return false;
            }
            ++kills_;
            if (prune) ++kills_in_prune_runs_;
            if (last_commit_made(result.err)) ++kills_in_native_build_;
            if (native_written) ++kills_while_native_written_;
            if (!check_after_kill(db_, result.err, before, end, prune, when)) return false;
            if (!check_native(db_, native_before, when)) return false;
            // Verified above: the next run resumes from this state.
            before = read_state(db_, problem).value_or(State{});
        }

        // Run to the end, as a user would after a crash.
        auto finished = run_process(settings_.search_index, arguments(db_, prune));
        if (finished.exit_code != 0) {
            fail(where + ": the run after the kills failed: " + finished.err);
            return false;
        }
        if (!check_database(db_, where + " end")) return false;
        auto final_state = read_state(db_, problem);
        if (!problem.empty() || !final_state || *final_state != end) {
            fail(where + ": after the kills, the database differs from the uninterrupted run: " +
                 (problem.empty() ? describe_difference(final_state.value_or(State{}), end)
                                  : problem));
            return false;
        }
        auto scratch =
            std::find_if(fs::directory_iterator(work_), fs::directory_iterator(),
                         [](const fs::directory_entry& entry) {
                             return entry.path().filename().string().starts_with("db.building-");
                         });
        if (scratch != fs::directory_iterator()) {
            fail(where + ": scratch folder left behind: " + scratch->path().string());
            return false;
        }
        if (being_written(db_)) {
            fail(where + ": a temporary native index file is left behind");
            return false;
        }
        const auto native = native_state(db_);
        if (!native || native->source != database_state(db_)) {
            fail(where + ": after the kills, the native index is not up to date");
            return false;
        }
        return check_native(db_, native, where + " end");
    }

    // ---- the native index ----

    struct NativeState {
        trouvere::native::SourceState source;
    };

    static fs::path native_path(const fs::path& db) { return db / trouvere::native::kFileName; }

    // The native index's source state when its file opens; nullopt when there is none.
    static std::optional<NativeState> native_state(const fs::path& db) {
        auto opened = trouvere::native::NativeIndex::open(native_path(db));
        if (!opened.index) return std::nullopt;
        return NativeState{opened.index->source()};
    }

    static trouvere::native::SourceState database_state(const fs::path& db) {
        Xapian::Database database(db.string());
        return {database.get_uuid(), database.get_revision()};
    }

    // Whether a native index is being written: its temporary file is there.
    static bool being_written(const fs::path& db) {
        std::error_code ignored;
        return std::any_of(
            fs::directory_iterator(db, ignored), fs::directory_iterator(),
            [](const fs::directory_entry& entry) {
                return entry.path().filename().string().starts_with(kTemporaryPrefix);
            });
    }

    // Whether search-index -v has reported the commit that ends its run.
    static bool last_commit_made(const std::string& err) {
        std::istringstream lines(err);
        std::string text;
        while (std::getline(lines, text)) {
            if (text.starts_with("search-index: committed ") && text.ends_with(" (end of run)")) {
                return true;
            }
        }
        return false;
    }

    // Waits until `writer` builds the native index: until it has made its last commit, or, when
    // `file`, until the build's temporary file is created (inotify tells at once, where polling
    // the folder missed most of the millisecond or so the file exists). False when it took too
    // long; true as well when the run ended first, which is then counted as such.
    [[nodiscard]] bool wait_for_native_build(const ChildProcess& writer, bool file) const {
        const auto deadline = Clock::now() + std::chrono::seconds(60);
        const int watch = file ? ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC) : -1;
        if (watch >= 0 && ::inotify_add_watch(watch, db_.c_str(), IN_CREATE) < 0) {
            ::close(watch);
            throw std::runtime_error("cannot watch " + db_.string());
        }
        // Only a creation counts: a file left by a killed run is removed when the build starts.
        bool created = false;
        bool reached = false;
        while (!reached) {
            if (writer.finished()) break;
            if (Clock::now() > deadline) break;
            if (file) {
                pollfd ready{watch, POLLIN, 0};
                if (::poll(&ready, 1, 1) > 0) created = created || temporary_file_created(watch);
            } else {
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            // The file comes after the last commit, whose line may not have been read yet.
            reached = file ? created : last_commit_made(writer.err_so_far());
        }
        if (watch >= 0) ::close(watch);
        return reached || writer.finished();
    }

    // Reads the pending events of an inotify descriptor: whether one created a native index's
    // temporary file.
    static bool temporary_file_created(int watch) {
        alignas(inotify_event) std::array<char, 4096> events{};
        bool created = false;
        for (ssize_t size = 0; (size = ::read(watch, events.data(), events.size())) > 0;) {
            for (ssize_t at = 0; at < size;) {
                const auto* event = reinterpret_cast<const inotify_event*>(events.data() + at);
                if (event->len > 0 && std::string_view(event->name).starts_with(kTemporaryPrefix)) {
                    created = true;
                }
                at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        return created;
    }

    // The native index left by a kill: none only when there was none before the run; else the
    // one from before the run or a complete one of the database's current state, never a torn
    // one; and searches answer right either way.
    bool check_native(const fs::path& db, const std::optional<NativeState>& before,
                      const std::string& when) {
        ++native_checks_;
        auto opened = trouvere::native::NativeIndex::open(native_path(db));
        if (!opened.index) {
            if (opened.refusal == trouvere::native::Refusal::missing && !before) return true;
            fail(when + ": the native index does not open: " + opened.reason);
            return false;
        }
        if (std::string problem = opened.index->check(); !problem.empty()) {
            fail(when + ": the native index is damaged: " + problem);
            return false;
        }
        const auto source = opened.index->source();
        const bool current = source == database_state(db);
        if (!current && (!before || source != before->source)) {
            fail(when + ": the native index is neither the one from before the run nor current");
            return false;
        }
        try {
            trouvere::Searcher searcher(db.string());
            for (const char* query : {"armée OR blé", "\"le village\"", "récolte -hiver"}) {
                const auto xapian = hit_ids(searcher.search(
                    query, {.limit = 10000, .snippets = false, .engine = Engine::xapian}));
                const auto automatic = searcher.search(query, {.limit = 10000, .snippets = false});
                if (automatic.engine != (current ? "native" : "xapian") ||
                    hit_ids(automatic) != xapian) {
                    fail(when + ": '" + query + "' answered by " + automatic.engine +
                         " differs from Xapian's answer");
                    return false;
                }
                if (current) continue;
                try {
                    (void)searcher.search(query, {.snippets = false, .engine = Engine::native});
                    fail(when + ": a stale native index answered");
                    return false;
                } catch (const trouvere::DatabaseError& error) {
                    if (std::string(error.what()).find("another state") == std::string::npos) {
                        fail(when +
                             ": a stale native index refused for another reason: " + error.what());
                        return false;
                    }
                }
            }
        } catch (const trouvere::Error& error) {
            fail(when + ": searching with the native index there fails: " + error.what());
            return false;
        }
        return true;
    }

    // Sorted: the engines may rank equal scores either way.
    static std::set<std::string> hit_ids(const trouvere::SearchResults& results) {
        std::set<std::string> ids;
        for (const trouvere::Hit& hit : results.hits) ids.insert(hit.id);
        return ids;
    }

    bool check_after_kill(const fs::path& db, const std::string& err, const State& before,
                          const State& end, bool prune, const std::string& when) {
        // The last commit reported complete, and one begun but not reported complete.
        static const std::regex line(
            R"(^search-index: (committing|committed) (\d+) files( \(end of run\))?$)");
        std::optional<State> completed;
        std::optional<State> pending;
        std::istringstream lines(err);
        std::string text;
        bool pruning = false;
        while (std::getline(lines, text)) {
            if (text == "search-index: pruning") pruning = true;
            std::smatch match;
            if (!std::regex_match(text, match, line)) continue;
            State after =
                expected_after(before, end, std::stoul(match[2].str()), match[3].matched, prune);
            if (match[1] == "committing") {
                pending = after;
                pruning = false;
            } else {
                completed = after;
                pending.reset();
            }
        }
        State last = completed.value_or(before);
        if (pending) ++kills_in_commit_;
        if (pruning) ++kills_while_pruning_;

        std::string problem;
        auto state = read_state(db, problem);
        if (!state) {
            // Only a first build killed before its commit may leave no database yet.
            if (!before.empty() || completed) {
                fail(when + ": the database is gone");
                return false;
            }
            ++kills_before_first_commit_;
            ++checks_;
            return true;
        }
        if (!problem.empty()) {
            fail(when + ": " + problem);
            return false;
        }
        if (!check_database(db, when)) return false;
        if (*state == last || (pending && *state == *pending)) {
            if (before.empty() && state->empty()) ++kills_before_first_commit_;
            return true;
        }
        fail(when + ": not the state of the last commit: " + describe_difference(*state, last));
        return false;
    }

    Settings settings_;
    std::mt19937 random_;
    fs::path work_ = fs::absolute(settings_.work);
    fs::path corpus_dir_ = work_ / "corpus";
    fs::path db_ = work_ / "db";
    fs::path reference_ = work_ / "reference";
    Corpus corpus_;
    std::map<std::string, std::string> owner_;  // document id -> file
    int next_file_ = 0;
    int kills_ = 0;
    int kills_in_commit_ = 0;
    int kills_before_first_commit_ = 0;
    int kills_in_prune_runs_ = 0;
    int kills_while_pruning_ = 0;
    int kills_in_native_build_ = 0;
    int kills_while_native_written_ = 0;
    int completed_attempts_ = 0;
    int checks_ = 0;
    int native_checks_ = 0;
    double native_seconds_ = 0;
    int failures_ = 0;
};

}  // namespace

int main(int argc, char** argv) try {
    Settings settings;
    settings.work =
        (fs::temp_directory_path() / ("trouvere-kill-" + std::to_string(::getpid()))).string();
    CLI::App app(
        "Kills search-index with SIGKILL at random moments and checks the database after "
        "each kill.");
    app.add_option("--search-index", settings.search_index, "The search-index program")->required();
    app.add_option("--xapian-check", settings.xapian_check, "Xapian's xapian-check program")
        ->required();
    app.add_option("--kills", settings.kills, "Kills to survive");
    app.add_option("--seed", settings.seed, "Seed of the corpus and of the kill times");
    app.add_option("--documents", settings.documents, "Documents in the corpus");
    app.add_option("--commit-every", settings.commit_every, "search-index's --commit-every");
    app.add_option("--max-seconds", settings.max_seconds, "Time limit of the whole run");
    app.add_option("--work", settings.work, "Scratch folder");
    CLI11_PARSE(app, argc, argv);
    if (!fs::exists(settings.xapian_check)) {
        std::cerr << "kill_harness: no xapian-check at '" << settings.xapian_check
                  << "': install xapian-tools (scripts/setup)\n";
        return 2;
    }
    return Harness(settings).run();
} catch (const std::exception& error) {
    std::cerr << "kill_harness: " << error.what() << '\n';
    return 1;
}
