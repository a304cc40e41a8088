// tests/faults/test_campaign.cpp: the short form of the fault-injection campaign (default suite): sampled bit flips
// and byte deletions at a fixed seed, truncations at every length, sampled field swaps, over every persisted
// kind. The long form (every position) is slow_campaign.cpp.  @see docs/reliability.md#fault-injection
#include <doctest/doctest.h>

#include "faults/campaign.hpp"

using namespace l2s;
using namespace l2s::test::faults;

TEST_CASE("faults: short campaign over every persisted kind ends in detection or an identical object, never silently") {
    const subjects S;
    const auto all = run_campaign(S, {.bit_flips = 1500, .deletions = 300, .truncation_step = 1, .swaps = 150, .seed = 28}, true);
    CHECK(report(all, "fault-injection campaign, short form (tests/faults/test_campaign.cpp, seed 28)") == 0);
}

TEST_CASE("faults: every valid document of the campaign is sealed and loads back identical") {
    subjects S;
    for (const auto& [s, indent] : S.all) {
        CAPTURE(s.kind);
        CHECK(s.load(s.text) == s.identity);
        CHECK(s.text.find("\"digest\"") != std::string::npos);
        CHECK(s.target_unchanged());
    }
}
