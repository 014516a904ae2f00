// The Catch2 runner lives alone in this file so that the single header is compiled once. It also
// keeps the tally of skipped test cases: Catch2 2 has no SKIP, and a test case that returns early
// would pass without having checked anything.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <string_view>

#include "tests/test_support.h"

namespace {

struct SkipTally {
    int cases_run = 0;
    int cases_skipped = 0;
    bool current_skipped = false;
};

SkipTally& tally() {
    static SkipTally tally;
    return tally;
}

class SkipListener : public Catch::TestEventListenerBase {
public:
    using TestEventListenerBase::TestEventListenerBase;

    void testCaseStarting(const Catch::TestCaseInfo& info) override {
        TestEventListenerBase::testCaseStarting(info);
        ++tally().cases_run;
        tally().current_skipped = false;
    }

    void testCaseEnded(const Catch::TestCaseStats& stats) override {
        if (tally().current_skipped) ++tally().cases_skipped;
        TestEventListenerBase::testCaseEnded(stats);
    }
};

}  // namespace

CATCH_REGISTER_LISTENER(SkipListener)

namespace trouvere::testing {

void skip(std::string_view reason) {
    WARN("SKIPPED: " << reason);
    tally().current_skipped = true;
}

}  // namespace trouvere::testing

int main(int argc, char* argv[]) {
    Catch::Session session;
    if (const int error = session.applyCommandLine(argc, argv); error != 0) return error;
    // A name that matches no test case fails the run. Catch2 2 passes it by default, and a test
    // that CTest runs by a name Catch cannot match would pass without running.
    auto& config = session.configData();
    config.warnings =
        static_cast<Catch::WarnAbout::What>(config.warnings | Catch::WarnAbout::NoTests);
    const int failed = session.run();
    // CTest runs one test case per process: all of them skipped means that one was.
    const SkipTally& counts = tally();
    if (failed == 0 && counts.cases_run > 0 && counts.cases_skipped == counts.cases_run) {
        return trouvere::testing::kSkippedExitCode;
    }
    return failed;
}
