// Fuzzes io::load_bo (saved BO states) against a Branin optimizer.
#include <l2s/bo.hpp>
#include <l2s/io/bo.hpp>
#include <l2s/problems.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run(data, size, [](const std::string& text) {
        auto o = l2s::bo::make_default_optimizer(l2s::problems::branin::domain());
        l2s::io::load_bo(o, text);
    });
}
