// tests/support/slow_suite.hpp: force-included into tests/<folder>/slow_*.cpp, so every test case of
// such a file belongs to the doctest suite "slow" (ctest label slow, excluded from the default run).
#pragma once
#include <doctest/doctest.h>
TEST_SUITE_BEGIN("slow");
