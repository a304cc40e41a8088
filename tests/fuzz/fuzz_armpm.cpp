// Fuzzes the ARMPM trace reader and the grouping into executions.
#include <sstream>

#include <l2s/io/armpm.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run(data, size, [](const std::string& text) {
        std::istringstream in(text);
        const auto t = l2s::io::read_armpm(in, "fuzz");
        (void)l2s::io::armpm_runs(t);
    });
}
