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

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {
std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("every folder header is in its folder's umbrella, every umbrella but io and host in l2s.hpp") {
    const std::filesystem::path root = std::filesystem::path(L2S_INCLUDE_DIR) / "l2s";
    const std::string all = read_all(root / "l2s.hpp");
    for (const auto& dir : std::filesystem::directory_iterator(root)) {
        if (!dir.is_directory()) continue;
        const std::string folder = dir.path().filename().string();
        if (folder == "detail" || folder == "c") continue;
        const auto umbrella = root / (folder + ".hpp");
        REQUIRE_MESSAGE(std::filesystem::exists(umbrella), "missing umbrella " << umbrella);
        const std::string text = read_all(umbrella);
        for (const auto& h : std::filesystem::directory_iterator(dir.path())) {
            if (!h.is_regular_file() || h.path().extension() != ".hpp") continue;
            const std::string inc = "#include <l2s/" + folder + "/" + h.path().filename().string() + ">";
            CHECK_MESSAGE(text.find(inc) != std::string::npos, umbrella.filename().string() << " lacks " << inc);
        }
        if (folder != "io" && folder != "host")
            CHECK_MESSAGE(all.find("#include <l2s/" + folder + ".hpp>") != std::string::npos, "l2s.hpp lacks " << folder);
    }
}
