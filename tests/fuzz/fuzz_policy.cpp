// Fuzzes io::load_any_policy (saved policies of every kind); a loaded policy must also decide safely.
#include <l2s/io/policy.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run(data, size, [](const std::string& text) {
        auto p = l2s::io::load_any_policy(text);
        if (p.num_islands() == 0 || p.num_islands() > 1024) return;
        l2s::dvfs::observation o;
        o.resize(p.num_islands());
        l2s::dvfs::action a(p.num_islands());
        p.act(o, a);
    });
}
