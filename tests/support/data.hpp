// tests/support/data.hpp: locating the shared data and fixture folders; a test whose data is missing is
// reported as skipped (ctest SKIPPED), or fails when L2S_REQUIRE_DATA is set.  @see docs/reliability.md#skipped-tests
#pragma once
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <doctest/doctest.h>

namespace l2s::test {

/// The exit code of a test executable whose run passed but skipped at least one test case for missing data;
/// every ctest test of a test folder has SKIP_RETURN_CODE 77 (cmake/l2s_doctest_add.cmake), so ctest reports
/// it as "Skipped" rather than "Passed".
inline constexpr int skip_exit_code = 77;

/// How many test cases of this run found their data missing (read by tests/main.cpp).
inline int& missing_data_skips() {
    static int n = 0;
    return n;
}

/// True when the environment variable L2S_REQUIRE_DATA is set to anything but "" or "0" (scripts/test.sh sets
/// it when ../shared exists): missing data is then a failure, not a skip.
inline bool data_required() {
    const char* v = std::getenv("L2S_REQUIRE_DATA");
    return v != nullptr && *v != '\0' && std::string(v) != "0";
}

/// The folder named by the environment variable `env`, else L2S_SHARED_DIR/`default_rel`
/// (the ../shared folder next to the repository). nullopt when it does not exist: the calling test then
/// returns, and the run is reported as skipped (exit code 77), or fails when data_required().
inline std::optional<std::filesystem::path> data_dir(const char* env, const char* default_rel) {
    std::filesystem::path p;
    if (const char* v = std::getenv(env); v != nullptr && *v != '\0') p = v;
    else p = std::filesystem::path(L2S_SHARED_DIR) / default_rel;
    if (!std::filesystem::is_directory(p)) {
        if (data_required()) {
            FAIL_CHECK("folder " << p.string() << " not found and L2S_REQUIRE_DATA is set (set " << env
                                 << " to use another)");
        } else {
            MESSAGE("SKIPPED: folder " << p.string() << " not found (set " << env << " to use another)");
            ++missing_data_skips();
        }
        return std::nullopt;
    }
    return p;
}

}  // namespace l2s::test
