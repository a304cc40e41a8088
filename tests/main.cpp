// l2s test main: compiled once, linked into every test executable. Prints the library versions first; exits
// with 77 (ctest: Skipped) when the run passed but some test case skipped for missing data (support/data.hpp).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include <Eigen/Core>
#include <l2s/core/types.hpp>
#include <l2s/version.hpp>

#include "support/data.hpp"

int main(int argc, char** argv) {
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    const bool listing = context.shouldExit();
    if (!listing)
        std::printf("l2s %s, Eigen %d.%d.%d, xtensor %d.%d.%d\n", l2s::version_string, EIGEN_WORLD_VERSION,
                    EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, XTENSOR_VERSION_MAJOR, XTENSOR_VERSION_MINOR,
                    XTENSOR_VERSION_PATCH);
    const int rc = context.run();
    // A run that passed but skipped test cases for missing data says so: ctest reports exit code 77 as Skipped.
    if (rc == 0 && !listing && l2s::test::missing_data_skips() > 0) {
        std::printf("[l2s] %d test case(s) skipped: their data folder is missing (exit code %d)\n",
                    l2s::test::missing_data_skips(), l2s::test::skip_exit_code);
        return l2s::test::skip_exit_code;
    }
    return rc;
}
