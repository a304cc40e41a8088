// tests/sim/test_armpm.cpp: the ARMPM reader (header-named columns, blocks, errors) on streams and the shared folder.
#include <cmath>
#include <set>
#include <tuple>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include <l2s/io/armpm.hpp>

#include "../support/data.hpp"

using namespace l2s::io;

TEST_CASE("armpm: reads columns by header name, in any order, and groups executions") {
    // Columns shuffled and renamed for another cluster; a leading-dot voltage as in the merged files.
    std::istringstream in(
        "#A7 Power(W)\tBenchmark\tTimestamp\tRun(#)\tCPU(0) Frequency(MHz)\tA7 Voltage(V)\tINST_RETIRED\n"
        "0.5\tbench.a\t1000000000\t1\t1000\t.9\t100\n"
        "0.7\tbench.a\t1500000000\t1\t1000\t.9\t300\n"
        "0.6\tbench.a\t2000000000\t1\t1000\t1.1\t200\n"
        "1.0\tbench.b\t9000000000\t1\t1400\t1.0\t50\n"
        "1.2\tbench.b\t9500000000\t1\t1400\t1.0\t50\n");
    const auto t = read_armpm(in, "mem_2core.data", 2);
    CHECK(t.num_rows() == 5);
    CHECK(t.columns.size() == 7);
    CHECK(t.has("Power(W)", true));
    CHECK(!t.has("CPU_CYCLES"));
    const auto runs = armpm_runs(t);
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].benchmark == "bench.a");
    CHECK(runs[0].rows == 3);
    CHECK(runs[0].freq_hz == doctest::Approx(1e9));
    CHECK(runs[0].time_s == doctest::Approx(1.0 + 0.5));  // last − first + median spacing 0.5 s
    CHECK(runs[0].power_w == doctest::Approx(0.6));
    CHECK(runs[0].volt_v == doctest::Approx((0.9 + 0.9 + 1.1) / 3));
    CHECK(runs[0].instructions == doctest::Approx(600));
    CHECK(std::isnan(runs[0].cycles));
    CHECK(std::isnan(runs[0].temp_c));
    CHECK(runs[1].cores == 2);
    CHECK(runs[1].energy_j() == doctest::Approx(1.1 * 1.0));
}

TEST_CASE("armpm: cores from the file name") {
    CHECK(armpm_cores_from_name("xu3_cset_perfcpu_PARSEC_eMMC_2core_el1_big.data") == 2);
    CHECK(armpm_cores_from_name("x_4core.data") == 4);
    CHECK(armpm_cores_from_name("PARSEC_split.data") == 1);
}

TEST_CASE("armpm: malformed input throws io_error naming the reader") {
    std::istringstream no_header("1\t2\n");
    CHECK_THROWS_WITH_AS((void)read_armpm(no_header, "x"), doctest::Contains("l2s::io::read_armpm: x"), l2s::io_error);
    std::istringstream ragged("#Timestamp\tBenchmark\n1\ta\n2\n");
    CHECK_THROWS_WITH_AS((void)read_armpm(ragged, "x"), doctest::Contains("line 3"), l2s::io_error);
    std::istringstream no_bench("#Timestamp\tRun(#)\n1\t1\n");
    CHECK_THROWS_AS((void)read_armpm(no_bench, "x"), l2s::io_error);
    std::istringstream no_power("#Timestamp\tBenchmark\tRun(#)\tCPU(4) Frequency(MHz)\tA15 Voltage(V)\n1\ta\t1\t1000\t1\n");
    const auto t = read_armpm(no_power, "x");
    CHECK_THROWS_WITH_AS((void)armpm_runs(t), doctest::Contains("Power(W)"), l2s::io_error);
    std::istringstream back("#Timestamp\tBenchmark\tRun(#)\tCPU(4) Frequency(MHz)\tA15 Voltage(V)\tA15 Power(W)\n"
                            "2\ta\t1\t1000\t1\t1\n1\ta\t1\t1000\t1\t1\n");
    CHECK_THROWS_WITH_AS((void)armpm_runs(read_armpm(back, "x")), doctest::Contains("not increasing"), l2s::io_error);
    CHECK_THROWS_AS((void)read_armpm_folder("/nonexistent/armpm"), l2s::io_error);
}

TEST_CASE("armpm: the shared folder reads into consistent executions") {
    const auto dir = l2s::test::data_dir("L2S_ARMPM_DIR", "data/armpm");
    if (!dir) return;
    const auto tables = read_armpm_folder(*dir);
    REQUIRE(!tables.empty());
    std::size_t runs_total = 0;
    for (const auto& t : tables) {
        CAPTURE(t.source);
        const auto runs = armpm_runs(t);
        std::set<std::tuple<std::string, int, double>> keys;
        for (const auto& r : runs) {
            CHECK(keys.insert({r.benchmark, r.run, r.freq_hz}).second);  // the key is unique in a file
            CHECK(r.time_s > 1.0);
            CHECK(r.power_w > 0.0);
            CHECK(r.volt_v > 0.5);
            CHECK(r.volt_v < 1.5);
        }
        runs_total += runs.size();
    }
    MESSAGE(tables.size() << " ARMPM files, " << runs_total << " executions");
}
