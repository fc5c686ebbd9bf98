// The one main() of every tandem test executable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
