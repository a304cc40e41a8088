// tests/fuzz/fuzz_json.hpp: JSON-document fuzz targets: text that is not JSON is a clean rejection (the
// io loaders that take text turn it into io_error; the ones that take a document never see it).
#pragma once
#include <nlohmann/json.hpp>

#include "fuzz_target.hpp"

namespace l2s::fuzz {
template <class F>
int run_json(const std::uint8_t* data, std::size_t size, F&& use) {
    return run(data, size, [&](const std::string& text) {
        const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded()) return;
        use(j);
    });
}
}  // namespace l2s::fuzz
