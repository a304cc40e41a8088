// The README quick start, compiled and run by the test suite (keep the two in sync).
#include <cstdio>

#include <l2s/space.hpp>

int main() {
    // K = 4 islands with 8 V/F levels each: 8^4 configurations, ordinally encoded.
    l2s::space::vf_space space(4, 8);
    l2s::rng_type rng(42);
    const l2s::vec x = space.sample(rng);
    const auto levels = space.decode(x);
    std::printf("%zu configurations; sampled levels %d %d %d %d\n", static_cast<std::size_t>(space.size()),
                levels[0], levels[1], levels[2], levels[3]);
    return space.size() == 4096 && space.contains(x) ? 0 : 1;
}
