// The Catch2 runner lives alone in this file so that the single header is compiled once.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
