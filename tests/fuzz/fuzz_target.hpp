// tests/fuzz/fuzz_target.hpp: shared shape of the l2s fuzz targets.
// A parser given arbitrary bytes may throw l2s::error (a clean rejection). Anything else (another
// exception, a crash, a sanitizer report) is a bug: the exception escapes and libFuzzer reports it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include <l2s/core/error.hpp>

namespace l2s::fuzz {
template <class F>
int run(const std::uint8_t* data, std::size_t size, F&& parse) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        parse(text);
    } catch (const l2s::error&) {
        // rejected cleanly with a typed error: fine
    }
    return 0;
}
}  // namespace l2s::fuzz
