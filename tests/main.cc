// The Catch2 runner lives alone in this file so that the single header is compiled once.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
    Catch::Session session;
    if (const int error = session.applyCommandLine(argc, argv); error != 0) return error;
    // A name that matches no test case fails the run. Catch2 2 passes it by default, and a test
    // that CTest runs by a name Catch cannot match would pass without running.
    auto& config = session.configData();
    config.warnings =
        static_cast<Catch::WarnAbout::What>(config.warnings | Catch::WarnAbout::NoTests);
    return session.run();
}
