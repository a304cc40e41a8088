// l2s test main: compiled once, linked into every test executable. Prints the library versions first.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include <Eigen/Core>
#include <l2s/core/types.hpp>
#include <l2s/version.hpp>

int main(int argc, char** argv) {
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    const bool listing = context.shouldExit();
    if (!listing)
        std::printf("l2s %s, Eigen %d.%d.%d, xtensor %d.%d.%d\n", l2s::version_string, EIGEN_WORLD_VERSION,
                    EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, XTENSOR_VERSION_MAJOR, XTENSOR_VERSION_MINOR,
                    XTENSOR_VERSION_PATCH);
    return context.run();
}
