// tests/support/data.hpp: locating the shared data and fixture folders.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <doctest/doctest.h>

namespace l2s::test {

/// The folder named by the environment variable `env`, else L2S_SHARED_DIR/`default_rel`
/// (the ../shared folder next to the repository). nullopt, with a message, when it does not exist:
/// the calling test then skips (users of the library do not have ../shared).
inline std::optional<std::filesystem::path> data_dir(const char* env, const char* default_rel) {
    std::filesystem::path p;
    if (const char* v = std::getenv(env); v != nullptr && *v != '\0') p = v;
    else p = std::filesystem::path(L2S_SHARED_DIR) / default_rel;
    if (!std::filesystem::is_directory(p)) {
        MESSAGE("skipped: folder " << p.string() << " not found (set " << env << " to use another)");
        return std::nullopt;
    }
    return p;
}

}  // namespace l2s::test
