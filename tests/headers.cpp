// tests/headers.cpp: the header self-containment test. CMake compiles every public header alone in its
// own translation unit (tests/CMakeLists.txt); this checks that none was missed since configuration.
#include <doctest/doctest.h>

#include <filesystem>

TEST_CASE("every public header is compiled on its own") {
    long count = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(L2S_INCLUDE_DIR))
        if (e.is_regular_file() && e.path().extension() == ".hpp") ++count;
    CHECK(count == L2S_HEADER_COUNT);
}
