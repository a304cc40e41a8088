// Fuzzes io::read_trace_csv; a trace that loads must also write back.
#include <sstream>

#include <l2s/io/trace.hpp>

#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run(data, size, [](const std::string& text) {
        std::istringstream in(text);
        const auto tr = l2s::io::read_trace_csv(in);
        std::ostringstream out;
        l2s::io::write_trace_csv(out, tr);
    });
}
