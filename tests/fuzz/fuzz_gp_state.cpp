// Fuzzes io::gp_from_string (saved exact GPs): any input must load or throw l2s::error, GP unchanged.
#include <l2s/gp.hpp>
#include <l2s/io/gp.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run(data, size, [](const std::string& text) {
        l2s::gp::exact_gp<l2s::kernel::matern52_ard> g(l2s::kernel::matern52_ard::from(l2s::vec::Constant(2, 0.5)));
        l2s::io::gp_from_string(text, g);
    });
}
