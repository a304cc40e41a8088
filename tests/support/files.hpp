// tests/support/files.hpp: small file helpers shared by test files: a temporary folder removed at scope exit,
// whole-file reads, and doctest::Contains of a std::string.
#pragma once
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <doctest/doctest.h>

namespace l2s::test {

/// doctest::Contains of a std::string.
inline doctest::Contains has(const std::string& s) { return doctest::Contains(s.c_str()); }

/// The whole file as bytes ("" if it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh folder under the system's temporary folder, removed with its contents at scope exit.
struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(const std::string& prefix = "l2s_test_")
        : path(std::filesystem::temp_directory_path() / (prefix + std::to_string(std::random_device{}()))) {
        std::filesystem::create_directories(path);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

}  // namespace l2s::test
