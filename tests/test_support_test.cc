// The helpers the other tests stand on (tests/test_support.h), where their failures would
// otherwise show up as another test's crash.

#include <catch2/catch.hpp>
#include <csignal>
#include <stdexcept>

#include "tests/test_support.h"

namespace {

using trouvere::testing::ChildProcess;

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
    CHECK(trouvere::testing::run_process("/bin/sh", {"-c", "exit 3"}).exit_code == 3);
}
