// tests/faults/slow_campaign.cpp: the long form of the fault-injection campaign (label slow): every single-bit
// flip, every byte deletion, every truncation and every field swap of every persisted kind.
// @see docs/reliability.md#fault-injection
#include <doctest/doctest.h>

#include "faults/campaign.hpp"

using namespace l2s;
using namespace l2s::test::faults;

TEST_CASE("faults: long campaign, every position of every fault type, zero silent corruptions") {
    const subjects S;
    const auto all = run_campaign(S, {.bit_flips = 0, .deletions = 0, .truncation_step = 1, .swaps = 0}, true);
    CHECK(report(all, "fault-injection campaign, long form (tests/faults/slow_campaign.cpp, every position)") == 0);
}

TEST_CASE("faults: baseline, the same campaign on the documents without their digest (reported, not asserted)") {
    // What the loaders' other checks (JSON syntax, schema, shapes, validation) catch on their own: the silent
    // corruptions counted here are the ones the digest turns into detections.
    const subjects S(false);
    const auto all = run_campaign(S, {.bit_flips = 0, .deletions = 0, .truncation_step = 1, .swaps = 0}, false);
    const std::size_t silent = report(all, "baseline: documents without a digest, every position");
    MESSAGE("without digests: " << silent << " silent corruptions");
}
