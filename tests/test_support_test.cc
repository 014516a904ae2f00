// The helpers the other tests stand on (tests/test_support.h), where their failures would
// otherwise show up as another test's crash.

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/test_support.h"

namespace {

using trouvere::testing::ChildProcess;
using trouvere::testing::run_process;
using namespace std::chrono_literals;

// Restores the SIGCHLD disposition it replaced, whatever the test does in between.
class IgnoredChildSignal {
public:
    IgnoredChildSignal() : previous_(std::signal(SIGCHLD, SIG_IGN)) {
        REQUIRE(previous_ != SIG_ERR);
    }
    // Restoring cannot fail: previous_ was a valid disposition a moment ago.
    ~IgnoredChildSignal() { static_cast<void>(std::signal(SIGCHLD, previous_)); }
    IgnoredChildSignal(const IgnoredChildSignal&) = delete;
    IgnoredChildSignal& operator=(const IgnoredChildSignal&) = delete;

private:
    using Handler = void (*)(int);
    Handler previous_;
};

}  // namespace

// Found by clang-tidy (bugprone-exception-escape): ~ChildProcess called wait(), which throws when
// waitpid fails, and an exception out of a destructor ends the whole test program.
TEST_CASE("regression: a child process that cannot be waited for is released without throwing",
          "[support]") {
    {
        // With SIGCHLD ignored the kernel reaps children itself, and waitpid fails (ECHILD).
        IgnoredChildSignal ignored;
        ChildProcess child("/bin/sh", {"-c", "exit 3"});
        CHECK_THROWS_AS(child.wait(), std::runtime_error);
    }  // ~ChildProcess, after the failed wait
    CHECK(run_process("/bin/sh", {"-c", "exit 3"}).exit_code == 3);
}

TEST_CASE("a child fed and read through pipes that fill does not block either side", "[support]") {
    // cat writes its input back while it reads it, then the error output gets as much again:
    // served one after the other, the pipes would fill and each side wait for the other.
    std::string input;
    for (int line = 0; input.size() < 3'000'000; ++line) {
        input += "ligne " + std::to_string(line) + "\n";
    }
    auto result =
        run_process("/bin/sh", {"-c", "cat; head -c 3000000 /dev/zero >&2"}, {.input = input});
    CHECK(result.exit_code == 0);
    CHECK(result.out == input);
    CHECK(result.err == std::string(3'000'000, '\0'));
}

TEST_CASE("a child's exit status, or the signal that ended it, is reported", "[support]") {
    auto exited = run_process("/bin/sh", {"-c", "echo dehors; echo erreur >&2; exit 4"});
    CHECK(exited.exit_code == 4);
    CHECK(exited.signal == 0);
    CHECK(exited.out == "dehors\n");
    CHECK(exited.err == "erreur\n");
    auto killed = run_process("/bin/sh", {"-c", "kill -TERM $$"});
    CHECK(killed.signal == SIGTERM);
    CHECK(killed.exit_code == 128 + SIGTERM);
    CHECK_FALSE(killed.timed_out);
}

TEST_CASE("a child sees the environment with the changes asked for", "[support]") {
    auto result = run_process("/usr/bin/env", {},
                              {.environment = {{"TROUVERE_ESSAI", "oui"}, {"PATH", std::nullopt}}});
    REQUIRE(result.exit_code == 0);
    std::set<std::string> names;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        names.insert(line.substr(0, line.find('=')));
        if (line.starts_with("TROUVERE_ESSAI=")) CHECK(line == "TROUVERE_ESSAI=oui");
    }
    CHECK(names.contains("TROUVERE_ESSAI"));
    CHECK_FALSE(names.contains("PATH"));
    CHECK(names.size() > 2);  // the rest of the environment is kept
}

TEST_CASE("a child that outlives its timeout is killed and reported so", "[support]") {
    auto result = run_process("/bin/sleep", {"60"}, {.timeout = 100ms});
    CHECK(result.timed_out);
    CHECK(result.signal == SIGKILL);
    auto quick = run_process("/bin/sh", {"-c", "exit 0"}, {.timeout = 60s});
    CHECK_FALSE(quick.timed_out);
    CHECK(quick.exit_code == 0);
}

TEST_CASE("a running child is stopped at the moment chosen, with what it wrote", "[support]") {
    ChildProcess child("/bin/sh", {"-c", "echo pret >&2; exec sleep 60"});
    while (child.err_so_far().empty() && !child.finished()) std::this_thread::sleep_for(1ms);
    CHECK(child.err_so_far() == "pret\n");
    CHECK_FALSE(child.finished());
    child.signal(SIGKILL);
    auto result = child.wait();
    CHECK(result.exit_code == 128 + SIGKILL);
    CHECK(result.err == "pret\n");
    CHECK(child.finished());
}

TEST_CASE("a child's limits, resources and input bytes are those asked for and used", "[support]") {
    trouvere::testing::TempDir dir;
    auto file = dir.path() / "out";
    auto limited =
        run_process("/bin/sh", {"-c", "head -c 100000 /dev/zero > \"$1\"", "sh", file.string()},
                    {.max_file_bytes = 4096});
    CHECK(limited.exit_code != 0);
    CHECK(std::filesystem::file_size(file) == 4096);
    auto reading = run_process("/bin/sh", {"-c", "head -c 5000000 /dev/zero > /dev/null"});
    CHECK(reading.exit_code == 0);
    REQUIRE(reading.bytes_read.has_value());
    CHECK(*reading.bytes_read >= 5'000'000);
    CHECK(reading.max_rss_kib > 0);
    CHECK(reading.cpu_seconds >= 0);
}

TEST_CASE("a program that cannot be started is an exception, not an exit status", "[support]") {
    CHECK_THROWS_WITH(run_process("/no/such/program", {}),
                      Catch::Contains("cannot start /no/such/program"));
}
