// A consumer of l2s: compiled by the package tests through find_package, add_subdirectory and FetchContent.
#include <cstdio>

#include <l2s/space.hpp>
#include <l2s/version.hpp>

int main() {
    l2s::space::vf_space s(2, 4);
    std::printf("l2s %s: %llu configurations\n", l2s::version_string, static_cast<unsigned long long>(s.size()));
    return s.size() == 16 ? 0 : 1;
}
