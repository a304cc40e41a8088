// examples/armpm_folder.hpp: where the examples that read ARMPM measurements find them: the first argument,
// else $L2S_ARMPM_DIR, else ../shared/data/armpm next to the repository.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

/// The ARMPM folder, or nullopt (after saying so) when it does not exist: the example then has nothing to do.
inline std::optional<std::filesystem::path> armpm_folder(int argc, char** argv) {
    std::filesystem::path dir;
    if (argc > 1) dir = argv[1];
    else if (const char* e = std::getenv("L2S_ARMPM_DIR"); e && *e) dir = e;
    else dir = std::filesystem::path(L2S_SOURCE_DIR) / ".." / "shared" / "data" / "armpm";
    if (!std::filesystem::is_directory(dir)) {
        std::printf("skipped: no ARMPM folder at %s (pass one, or set L2S_ARMPM_DIR)\n", dir.string().c_str());
        return std::nullopt;
    }
    return dir;
}
