// SPDX-License-Identifier: MIT
// l2s/io/armpm.hpp: reader of ARMPM measurement files (per-sample power, voltage, temperature and PMU
// counts; header-named columns) and their grouping into executions.
//
// Format (kranik/ARMPM_BUILDMODEL, K. Nikov, BSD-3-Clause): line 1 is a header starting with '#', the
// column names separated by tabs (or commas); every other line is one sample. One execution is a
// contiguous block of rows with the same (benchmark, run, frequency). Columns are found by their header
// names, so files with other event lists, clusters or sensors read the same.  @see docs/sim.md#profiler
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/sim/thermal_fit.hpp>

namespace l2s::io {

/// Which header names hold which quantity. A name matches when it equals the field or, for the
/// `*_suffix` fields, when it ends with it (so "A15 Power(W)" and "A7 Power(W)" both read as power).
struct armpm_columns_config {
    std::string timestamp = "Timestamp";               ///< ns since an epoch
    std::string benchmark = "Benchmark";               ///< benchmark name (text)
    std::string run = "Run(#)";                        ///< run number
    std::string freq_suffix = "Frequency(MHz)";        ///< cluster frequency, MHz
    std::string power_suffix = "Power(W)";             ///< rail power, W
    std::string voltage_suffix = "Voltage(V)";         ///< rail voltage, V
    std::string temperature_suffix = "Temperature(C)"; ///< die temperature, °C
    std::string cycles = "CPU_CYCLES";                 ///< PMU cycles (optional)
    std::string instructions = "INST_RETIRED";         ///< PMU retired instructions (optional)
};

/// One ARMPM file in memory: column names, numeric columns (NaN where a cell is not a number) and the
/// benchmark name of each row.
struct armpm_table {
    std::string source;                       ///< file name or caller-given name
    int cores = 1;                            ///< cores used (from the file name, "<n>core")
    std::vector<std::string> columns;         ///< header names, in file order
    std::vector<std::vector<double>> values;  ///< values[c][row]
    std::vector<std::string> benchmark;       ///< benchmark name per row

    [[nodiscard]] std::size_t num_rows() const noexcept { return benchmark.size(); }
    /// Index of the column named exactly `name`, or of the first one ending with it if `suffix`; npos if none.
    [[nodiscard]] std::size_t find(std::string_view name, bool suffix = false) const noexcept {
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::string_view h = columns[c];
            if (h == name || (suffix && h.size() >= name.size() && h.substr(h.size() - name.size()) == name)) return c;
        }
        return npos;
    }
    [[nodiscard]] bool has(std::string_view name, bool suffix = false) const noexcept { return find(name, suffix) != npos; }
    /// The column named `name` (see find); io_error naming it if absent.
    [[nodiscard]] const std::vector<double>& column(std::string_view name, bool suffix = false) const {
        const auto c = find(name, suffix);
        if (c == npos) throw io_error("l2s::io::armpm_table::column: no column named '" + std::string(name) + "' in " + source);
        return values[c];
    }
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

/// Cores used, from a file name containing "<n>core" (e.g. "..._2core_el1_big.data"); 1 if absent.
[[nodiscard]] inline int armpm_cores_from_name(const std::string& name) {
    for (std::size_t pos = name.find("core"); pos != std::string::npos; pos = name.find("core", pos + 1)) {
        std::size_t b = pos;
        while (b > 0 && name[b - 1] >= '0' && name[b - 1] <= '9') --b;
        if (b < pos) return std::max(1, std::atoi(name.substr(b, pos - b).c_str()));
    }
    return 1;
}

namespace detail {
inline std::vector<std::string> split_fields(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream is(line);
    while (std::getline(is, cur, sep)) out.push_back(cur);
    if (!line.empty() && line.back() == sep) out.emplace_back();
    for (auto& s : out) {  // trim spaces and a CR
        const auto b = s.find_first_not_of(" \r");
        const auto e = s.find_last_not_of(" \r");
        s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    }
    return out;
}
inline double parse_number(const std::string& s) {
    if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() ? v : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace detail

/// Reads one ARMPM table from a stream. Throws io_error (naming `source` and the line) on a missing
/// header, a row with the wrong number of fields, or a missing benchmark column.
[[nodiscard]] inline armpm_table read_armpm(std::istream& in, std::string source, int cores = 1,
                                           const armpm_columns_config& names = {}) {
    const std::string who = "l2s::io::read_armpm: " + source;
    armpm_table t;
    t.source = std::move(source);
    t.cores = cores;
    std::string line;
    if (!std::getline(in, line) || line.empty() || line[0] != '#') throw io_error(who + ": line 1 must be a header starting with '#'");
    line.erase(0, 1);
    const char sep = line.find('\t') != std::string::npos ? '\t' : ',';
    t.columns = detail::split_fields(line, sep);
    const auto bcol = t.find(names.benchmark);
    if (bcol == armpm_table::npos) throw io_error(who + ": no '" + names.benchmark + "' column");
    t.values.assign(t.columns.size(), {});
    std::size_t lineno = 1;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty() || line == "\r") continue;
        const auto f = detail::split_fields(line, sep);
        if (f.size() != t.columns.size())
            throw io_error(who + ": line " + std::to_string(lineno) + " has " + std::to_string(f.size()) + " fields, header has " +
                           std::to_string(t.columns.size()));
        for (std::size_t c = 0; c < f.size(); ++c) t.values[c].push_back(detail::parse_number(f[c]));
        t.benchmark.push_back(f[bcol]);
    }
    return t;
}

/// Reads an ARMPM file; the core count comes from its name (armpm_cores_from_name).
[[nodiscard]] inline armpm_table read_armpm_file(const std::filesystem::path& file, const armpm_columns_config& names = {}) {
    std::ifstream in(file);
    if (!in) throw io_error("l2s::io::read_armpm_file: cannot open " + file.string());
    return read_armpm(in, file.filename().string(), armpm_cores_from_name(file.filename().string()), names);
}

/// One execution: a contiguous block of rows with the same (benchmark, run, frequency).
struct armpm_run {
    std::string benchmark;
    int run = 0;
    int cores = 1;
    double freq_hz = 0.0;
    double time_s = 0.0;        ///< last − first timestamp + one row spacing
    double power_w = 0.0;       ///< mean rail power over the rows (evenly spaced)
    double volt_v = 0.0;        ///< mean rail voltage
    double temp_c = 0.0;        ///< mean temperature (NaN if no such column)
    double cycles = 0.0;        ///< summed cycles (NaN if no such column)
    double instructions = 0.0;  ///< summed retired instructions (NaN if no such column)
    std::size_t rows = 0;
    std::size_t first_row = 0;  ///< index of its first row in the table
    [[nodiscard]] double energy_j() const noexcept { return power_w * time_s; }
};

/// Groups a table into executions, in file order. The row spacing added to each run time is the median
/// of the timestamp differences inside blocks. Throws io_error if a required column is missing or
/// timestamps are not increasing within a block.
[[nodiscard]] inline std::vector<armpm_run> armpm_runs(const armpm_table& t, const armpm_columns_config& names = {}) {
    const std::string who = "l2s::io::armpm_runs: " + t.source;
    const auto& ts = t.column(names.timestamp);
    const auto& run = t.column(names.run);
    const auto& f = t.column(names.freq_suffix, true);
    const auto& p = t.column(names.power_suffix, true);
    const auto& v = t.column(names.voltage_suffix, true);
    const auto opt = [&](const std::string& n, bool suffix) { return t.has(n, suffix) ? &t.column(n, suffix) : nullptr; };
    const auto* temp = opt(names.temperature_suffix, true);
    const auto* cyc = opt(names.cycles, false);
    const auto* ins = opt(names.instructions, false);
    const std::size_t n = t.num_rows();
    std::vector<std::pair<std::size_t, std::size_t>> blocks;
    for (std::size_t i = 0; i < n; ++i) {
        const bool same = i > 0 && t.benchmark[i] == t.benchmark[i - 1] && run[i] == run[i - 1] && f[i] == f[i - 1];
        if (same) blocks.back().second = i + 1;
        else blocks.emplace_back(i, i + 1);
    }
    std::vector<double> gaps;
    for (const auto& [b, e] : blocks)
        for (std::size_t i = b + 1; i < e; ++i) {
            if (!(ts[i] > ts[i - 1])) throw io_error(who + ": timestamps not increasing at data row " + std::to_string(i + 1));
            gaps.push_back((ts[i] - ts[i - 1]) * 1e-9);
        }
    double spacing = 0.0;
    if (!gaps.empty()) {
        std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
        spacing = gaps[gaps.size() / 2];
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<armpm_run> out;
    out.reserve(blocks.size());
    for (const auto& [b, e] : blocks) {
        armpm_run r;
        r.benchmark = t.benchmark[b];
        r.run = static_cast<int>(run[b]);
        r.cores = t.cores;
        r.freq_hz = f[b] * 1e6;
        r.rows = e - b;
        r.first_row = b;
        r.time_s = (ts[e - 1] - ts[b]) * 1e-9 + spacing;
        double sp = 0, sv = 0, st = 0, sc = 0, si = 0;
        for (std::size_t i = b; i < e; ++i) {
            sp += p[i];
            sv += v[i];
            if (temp) st += (*temp)[i];
            if (cyc) sc += (*cyc)[i];
            if (ins) si += (*ins)[i];
        }
        const double m = static_cast<double>(r.rows);
        r.power_w = sp / m;
        r.volt_v = sv / m;
        r.temp_c = temp ? st / m : nan;
        r.cycles = cyc ? sc : nan;
        r.instructions = ins ? si : nan;
        if (!std::isfinite(r.freq_hz) || !std::isfinite(r.power_w) || !std::isfinite(r.volt_v) || !std::isfinite(r.time_s))
            throw io_error(who + ": non-numeric frequency, power, voltage or timestamp in the block of " + r.benchmark);
        out.push_back(std::move(r));
    }
    return out;
}

/// Every `*.data` file of a folder whose header has the timestamp and benchmark columns (other files,
/// such as a train/test split list, are skipped), in file-name order.
[[nodiscard]] inline std::vector<armpm_table> read_armpm_folder(const std::filesystem::path& dir, const armpm_columns_config& names = {}) {
    if (!std::filesystem::is_directory(dir)) throw io_error("l2s::io::read_armpm_folder: not a folder: " + dir.string());
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".data") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<armpm_table> out;
    for (const auto& f : files) {
        std::ifstream in(f);
        std::string header;
        if (!std::getline(in, header) || header.find(names.timestamp) == std::string::npos || header.find(names.benchmark) == std::string::npos)
            continue;
        out.push_back(read_armpm_file(f, names));
    }
    return out;
}

/// Splits execution r of table t into `segments` consecutive parts of about equal retired instructions
/// (whole rows; a part ends at the first row where the cumulative count reaches its share), so that the
/// same part of the program is compared across frequencies: the phases of a phase profile. Each part
/// has its rows' mean power and voltage, its instruction and cycle sums, and time = rows × (r.time_s / r.rows).
/// Throws io_error without an instruction column, invalid_argument if segments is 0 or exceeds r.rows.
[[nodiscard]] inline std::vector<armpm_run> armpm_segments(const armpm_table& t, const armpm_run& r, std::size_t segments,
                                                           const armpm_columns_config& names = {}) {
    const std::string who = "l2s::io::armpm_segments: " + t.source;
    if (segments == 0 || segments > r.rows) throw invalid_argument(who + ": segments must be in 1..rows of the execution");
    if (r.first_row + r.rows > t.num_rows()) throw invalid_argument(who + ": the execution is not from this table");
    const auto& ins = t.column(names.instructions);
    const auto& p = t.column(names.power_suffix, true);
    const auto& v = t.column(names.voltage_suffix, true);
    const auto* cyc = t.has(names.cycles) ? &t.column(names.cycles) : nullptr;
    double total = 0.0;
    for (std::size_t i = r.first_row; i < r.first_row + r.rows; ++i) total += ins[i];
    if (!(total > 0.0) || !std::isfinite(total)) throw io_error(who + ": no retired instructions in the execution of " + r.benchmark);
    const double dt = r.time_s / static_cast<double>(r.rows);
    std::vector<armpm_run> out;
    std::size_t row = r.first_row;
    const std::size_t end = r.first_row + r.rows;
    double cum = 0.0;
    for (std::size_t sgm = 0; sgm < segments; ++sgm) {
        armpm_run part = r;
        part.first_row = row;
        part.rows = 0;
        part.power_w = part.volt_v = part.instructions = 0.0;
        part.cycles = cyc ? 0.0 : r.cycles;
        const double goal = total * static_cast<double>(sgm + 1) / static_cast<double>(segments);
        const std::size_t rows_left_after = segments - sgm - 1;  // keep at least one row per later part
        while (row < end - rows_left_after && (part.rows == 0 || cum < goal || sgm + 1 == segments)) {
            cum += ins[row];
            part.power_w += p[row];
            part.volt_v += v[row];
            part.instructions += ins[row];
            if (cyc) part.cycles += (*cyc)[row];
            ++part.rows;
            ++row;
            if (cum >= goal && sgm + 1 < segments) break;
        }
        const double m = static_cast<double>(part.rows);
        part.power_w /= m;
        part.volt_v /= m;
        part.time_s = m * dt;
        out.push_back(std::move(part));
    }
    return out;
}

/// Execution r of table t as a thermal trace (sim::fit_thermal_model): times from the first timestamp, the
/// temperature column, and as the power over [t_i, t_{i+1}) the rail power logged at t_{i+1} (the sensor's
/// mean over the window that ends at its timestamp; the last row repeats). Throws io_error without a
/// temperature column or with a non-numeric cell, invalid_argument if r is not from t.
[[nodiscard]] inline sim::thermal_trace armpm_thermal_trace(const armpm_table& t, const armpm_run& r, std::size_t group = 0,
                                                            const armpm_columns_config& names = {}) {
    const std::string who = "l2s::io::armpm_thermal_trace: " + t.source;
    if (r.rows == 0 || r.first_row + r.rows > t.num_rows()) throw invalid_argument(who + ": the execution is not from this table");
    const auto& ts = t.column(names.timestamp);
    const auto& p = t.column(names.power_suffix, true);
    const auto& temp = t.column(names.temperature_suffix, true);
    sim::thermal_trace tr;
    tr.group = group;
    const std::size_t b = r.first_row, e = r.first_row + r.rows;
    for (std::size_t i = b; i < e; ++i) {
        const double pw = p[std::min(i + 1, e - 1)];
        if (!std::isfinite(ts[i]) || !std::isfinite(pw) || !std::isfinite(temp[i]))
            throw io_error(who + ": non-numeric timestamp, power or temperature at data row " + std::to_string(i + 1));
        tr.time_s.push_back((ts[i] - ts[b]) * 1e-9);
        tr.power_w.push_back(pw);
        tr.temp_c.push_back(temp[i]);
    }
    return tr;
}

/// One execution's thermal trace with its benchmark name.
struct armpm_thermal_execution {
    std::string benchmark;
    sim::thermal_trace trace;
};

/// The thermal traces of every execution of the tables with a temperature column, one ambient group per
/// (table, run number) in order: a session of measurements. Pass only tables of single sessions (in the shared
/// folder the `_el1`/`_el2` files; the merged files average two sessions).
[[nodiscard]] inline std::vector<armpm_thermal_execution> armpm_thermal_traces(const std::vector<armpm_table>& tables,
                                                                              const armpm_columns_config& names = {}) {
    std::vector<armpm_thermal_execution> out;
    std::size_t groups = 0;
    for (const auto& t : tables) {
        if (!t.has(names.temperature_suffix, true)) continue;
        std::map<int, std::size_t> group_of_run;
        for (const auto& r : armpm_runs(t, names)) {
            const auto [it, fresh] = group_of_run.try_emplace(r.run, groups);
            if (fresh) ++groups;
            out.push_back({r.benchmark, armpm_thermal_trace(t, r, it->second, names)});
        }
    }
    return out;
}

/// A train/test split of benchmarks (`PARSEC_split.data`: a header line starting with '#', then one
/// "train<TAB>test" line per row, either cell possibly empty). Throws io_error if the file cannot be read or
/// lists no benchmark.
struct armpm_split {
    std::vector<std::string> train, test;
    [[nodiscard]] bool is_train(std::string_view b) const { return std::find(train.begin(), train.end(), b) != train.end(); }
};
[[nodiscard]] inline armpm_split read_armpm_split(const std::filesystem::path& file) {
    const std::string who = "l2s::io::read_armpm_split: " + file.string();
    std::ifstream in(file);
    if (!in) throw io_error(who + ": cannot open");
    armpm_split s;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        const auto cells = detail::split_fields(line, '\t');
        auto keep = [](std::vector<std::string>& v, std::string c) {
            const auto b = c.find_first_not_of(" \t"), e = c.find_last_not_of(" \t");
            if (b != std::string::npos) v.push_back(c.substr(b, e - b + 1));
        };
        if (!cells.empty()) keep(s.train, cells[0]);
        if (cells.size() > 1) keep(s.test, cells[1]);
    }
    if (s.train.empty() && s.test.empty()) throw io_error(who + ": lists no benchmark");
    return s;
}

}  // namespace l2s::io
