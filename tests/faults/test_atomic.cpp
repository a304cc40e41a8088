// tests/faults/test_atomic.cpp: atomic saves under an injected failure at every system call: the previous file
// survives whole, no temporary file is left behind, and the error is a typed io_error naming the file and the
// step. Also the cpufreq adapter's single-value sysfs writes: a short write is an io_error.
// @see docs/reliability.md#atomic-saves
#include <doctest/doctest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include <fcntl.h>

#include <l2s/host/cpufreq.hpp>
#include <l2s/io/atomic_file.hpp>
#include <l2s/io/json_util.hpp>

#include "faults/campaign.hpp"
#include "support/files.hpp"

using namespace l2s;
namespace fs = std::filesystem;

namespace {
using test::has;
using test::slurp;

/// Which step the injecting file_ops fail ("" for none), and call counters (reset by arm()).
struct injector {
    static inline std::string step;
    static inline int writes = 0, fsyncs = 0, closes = 0;
    static void arm(std::string s) {
        step = std::move(s);
        writes = fsyncs = closes = 0;
    }
};
int f_open(const char* p, int flags, unsigned mode) {
    const bool dir = (flags & O_DIRECTORY) != 0;
    if ((dir && injector::step == "open of the folder") || (!dir && injector::step == "open")) {
        errno = EACCES;
        return -1;
    }
    return l2s::detail::sys_open(p, flags, mode);
}
long f_write(int fd, const void* d, std::size_t n) {
    const int call = injector::writes++;
    if (injector::step == "write") {
        errno = EIO;
        return -1;
    }
    if (injector::step == "short write") {  // half of it, then the disk is full
        if (call == 0) return l2s::detail::sys_write(fd, d, n / 2);
        errno = ENOSPC;
        return -1;
    }
    if (injector::step == "zero write") return 0;
    if (injector::step == "short writes" && n > 7) return l2s::detail::sys_write(fd, d, 7);  // legal: must be retried
    return l2s::detail::sys_write(fd, d, n);
}
int f_fsync(int fd) {
    const int call = injector::fsyncs++;
    if ((injector::step == "fsync" && call == 0) || (injector::step == "fsync of the folder" && call == 1)) {
        errno = EIO;
        return -1;
    }
    return l2s::detail::sys_fsync(fd);
}
int f_close(int fd) {
    const int call = injector::closes++;
    const int r = l2s::detail::sys_close(fd);
    if (injector::step == "close" && call == 0) {
        errno = EIO;
        return -1;
    }
    return r;
}
int f_rename(const char* a, const char* b) {
    if (injector::step == "rename") {
        errno = EXDEV;
        return -1;
    }
    return l2s::detail::sys_rename(a, b);
}
constexpr io::file_ops injecting{.open = &f_open, .write = &f_write, .fsync = &f_fsync, .close = &f_close, .rename = &f_rename};

std::size_t entries(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

/// For each failing step: the save throws io_error naming the file and the step; before the rename the previous
/// file is intact, after it (folder fsync) the file holds the whole new content; no temporary file remains.
void check_saver(const std::string& name, const std::function<void(const fs::path&, const io::file_ops&)>& save) {
    test::temp_dir tmp("l2s_atomic_");
    const fs::path file = tmp.path / "state.json";
    const std::string previous = "{\"previous\": \"the last good document\"}\n";
    save(file, io::file_ops{});
    const std::string fresh = slurp(file);
    REQUIRE(fresh.size() > 10);
    CHECK(entries(tmp.path) == 1);
    for (const std::string step : {"open", "write", "short write", "zero write", "fsync", "close", "rename",
                                   "open of the folder", "fsync of the folder"}) {
        CAPTURE(name);
        CAPTURE(step);
        std::ofstream(file, std::ios::binary | std::ios::trunc) << previous;
        injector::arm(step);
        const std::string expect_step = step == "short write" || step == "zero write" ? "write" : step;
        CHECK_THROWS_WITH_AS(save(file, injecting), has(file.string() + ": " + expect_step + " failed"), io_error);
        injector::arm("");
        const bool after_rename = step == "open of the folder" || step == "fsync of the folder";
        CHECK(slurp(file) == (after_rename ? fresh : previous));
        CHECK(entries(tmp.path) == 1);  // no temporary file left
    }
    // A first save that fails leaves no file at all.
    fs::remove(file);
    injector::arm("fsync");
    CHECK_THROWS_AS(save(file, injecting), io_error);
    injector::arm("");
    CHECK(entries(tmp.path) == 0);
    // Short writes that make progress are retried, not errors.
    injector::arm("short writes");
    save(file, injecting);
    injector::arm("");
    CHECK(slurp(file) == fresh);
    // The destination folder does not exist.
    CHECK_THROWS_AS(save(tmp.path / "missing" / "x.json", io::file_ops{}), io_error);
}

}  // namespace

TEST_CASE("atomic saves: an injected failure at each system call leaves the previous file whole, for every saver") {
    test::faults::subjects S;
    rng_type rng(9);
    const auto p = test::random_mlp<double>(2, 3, rng, {5});
    check_saver("write_file_atomic", [](const fs::path& f, const io::file_ops& ops) {
        io::write_file_atomic(f, std::string(5000, 'x'), "l2s::test", ops);
    });
    check_saver("save_policy", [&](const fs::path& f, const io::file_ops& ops) { io::save_policy(p, f, ops); });
    check_saver("save_bo_file", [&](const fs::path& f, const io::file_ops& ops) { io::save_bo_file(S.bo.original, f, ops); });
    check_saver("save_gp_file", [&](const fs::path& f, const io::file_ops& ops) { io::save_gp_file(S.gp.original, f, ops); });
    check_saver("save_workload", [&](const fs::path& f, const io::file_ops& ops) {
        io::save_workload(test::faults::sample_workload(), f, ops);
    });
    check_saver("json_util::write_file", [](const fs::path& f, const io::file_ops& ops) {
        io::json_util::write_file({{"a", 1}}, f, "l2s::test", 1, ops);
    });
}

TEST_CASE("atomic saves: the error names the saver, the file and the step") {
    test::temp_dir tmp("l2s_atomic_");
    rng_type rng(9);
    injector::arm("rename");
    CHECK_THROWS_WITH_AS(io::save_policy(test::random_softmax<double>(2, 3, rng), tmp.path / "p.json", injecting),
                         has("l2s::io::save_policy: cannot write " + (tmp.path / "p.json").string() +
                                           ": rename failed: "),
                         io_error);
    injector::arm("");
}

TEST_CASE("write_value_direct and cpufreq_userspace: a short sysfs write is an io_error naming the file") {
    test::temp_dir tmp("l2s_atomic_");
    const fs::path v = tmp.path / "scaling_setspeed";
    std::ofstream(v) << "<unsupported>\n";
    io::write_value_direct(v, "1400000", "l2s::test");
    CHECK(slurp(v) == "1400000");
    injector::arm("short writes");
    CHECK_THROWS_WITH_AS(io::write_value_direct(v, "14000000", "l2s::test", injecting),
                         has("l2s::test: short write to " + v.string() + " (7 of 8 bytes)"), io_error);
    injector::arm("short write");
    CHECK_THROWS_WITH_AS(io::write_value_direct(v, "1400000", "l2s::test", injecting),
                         has("short write to " + v.string() + " (3 of 7 bytes)"), io_error);
    injector::arm("write");
    CHECK_THROWS_WITH_AS(io::write_value_direct(v, "1400000", "l2s::test", injecting), has("cannot write"), io_error);
    injector::arm("");
    CHECK_THROWS_AS(io::write_value_direct(tmp.path / "absent", "1", "l2s::test"), io_error);

    // The adapter on a one-domain fake sysfs.
    const fs::path p0 = tmp.path / "cpufreq/policy0";
    fs::create_directories(p0);
    auto put = [](const fs::path& f, const char* s) { std::ofstream(f) << s; };
    put(p0 / "related_cpus", "0 1\n");
    put(p0 / "scaling_available_frequencies", "200000 1400000\n");
    put(p0 / "scaling_governor", "userspace\n");
    put(p0 / "scaling_cur_freq", "200000\n");
    put(p0 / "scaling_setspeed", "<unsupported>\n");
    put(tmp.path / "stat", "cpu  0 0 0 0\ncpu0 1 0 0 9\ncpu1 1 0 0 9\n");
    host::cpufreq_config c{.cpufreq_root = tmp.path / "cpufreq", .proc_stat = tmp.path / "stat"};
    c.sysfs_ops = injecting;
    const host::cpufreq_userspace cpu(c);
    injector::arm("short write");
    CHECK_THROWS_WITH_AS(cpu.apply(sim::action{1}),
                         has("l2s::host::cpufreq_userspace: short write to " + (p0 / "scaling_setspeed").string()),
                         io_error);
    injector::arm("");
    cpu.apply(sim::action{1});
    CHECK(slurp(p0 / "scaling_setspeed") == "1400000");
}
