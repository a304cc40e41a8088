// SPDX-License-Identifier: MIT
// l2s/io/trace.hpp: traces as CSV (write and read) and JSON, and SVG plots (per-island level and
// temperature over time; a bar chart of one metric per policy).  @see docs/sim.md#traces
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <istream>
#include <limits>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <l2s/core/error.hpp>
#include <l2s/sim/trace.hpp>

namespace l2s::io {

/// CSV, one row per (interval, island): interval,island,level,freq_hz,power_w,temp_c,interval_time_s,interval_energy_j.
inline void write_trace_csv(std::ostream& out, const sim::trace& tr) {
    out << "interval,island,level,freq_hz,power_w,temp_c,interval_time_s,interval_energy_j\n";
    char buf[256];
    for (std::size_t t = 0; t < tr.num_intervals(); ++t)
        for (std::size_t k = 0; k < tr.num_islands(); ++k) {
            std::snprintf(buf, sizeof buf, "%zu,%zu,%d,%.17g,%.17g,%.17g,%.17g,%.17g\n", t, k,
                          static_cast<int>(tr.level(t, k)), tr.freq_hz(t, k), tr.power_w(t, k), tr.temp_c(t, k),
                          tr.time_s(t), tr.energy_j(t));
            out << buf;
        }
}

/// Reads what write_trace_csv wrote. Throws io_error naming the line on a malformed row, a wrong header, a
/// missing or repeated (interval, island) cell, or more than 10^8 cells.
[[nodiscard]] inline sim::trace read_trace_csv(std::istream& in) {
    const std::string who = "l2s::io::read_trace_csv";
    std::string line;
    if (!std::getline(in, line) || line.rfind("interval,island,level,freq_hz,power_w,temp_c,interval_time_s,interval_energy_j", 0) != 0)
        throw io_error(who + ": line 1: unexpected header");
    struct row {
        std::size_t t, k;
        double v[6];
    };
    std::vector<row> rows;
    std::size_t T = 0, K = 0, n = 1;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty() || line == "\r") continue;
        row r{};
        long long t = -1, k = -1;
        int used = 0;
        const int got = std::sscanf(line.c_str(), "%lld,%lld,%lf,%lf,%lf,%lf,%lf,%lf%n", &t, &k, &r.v[0], &r.v[1], &r.v[2],
                                    &r.v[3], &r.v[4], &r.v[5], &used);
        if (got != 8 || t < 0 || k < 0 || t > 100000000 || k > 100000 ||
            (line.c_str()[used] != '\0' && line.c_str()[used] != '\r'))
            throw io_error(who + ": line " + std::to_string(n) + ": malformed row");
        for (double v : r.v)
            if (!std::isfinite(v)) throw io_error(who + ": line " + std::to_string(n) + ": non-finite value");
        r.t = static_cast<std::size_t>(t);
        r.k = static_cast<std::size_t>(k);
        T = std::max(T, r.t + 1);
        K = std::max(K, r.k + 1);
        if (rows.size() > 100000000) throw io_error(who + ": too many rows");
        rows.push_back(r);
    }
    if (rows.empty()) throw io_error(who + ": no rows");
    if (T * K != rows.size()) throw io_error(who + ": " + std::to_string(rows.size()) + " rows do not fill " +
                                             std::to_string(T) + " intervals x " + std::to_string(K) + " islands");
    sim::trace tr;
    tr.resize(T, K);
    std::vector<char> seen(T * K, 0);
    for (const auto& r : rows) {
        if (seen[r.t * K + r.k]++) throw io_error(who + ": interval " + std::to_string(r.t) + ", island " + std::to_string(r.k) + " repeated");
        tr.level(r.t, r.k) = r.v[0];
        tr.freq_hz(r.t, r.k) = r.v[1];
        tr.power_w(r.t, r.k) = r.v[2];
        tr.temp_c(r.t, r.k) = r.v[3];
        tr.time_s(r.t) = r.v[4];
        tr.energy_j(r.t) = r.v[5];
    }
    return tr;
}

/// JSON: {"schema": "l2s.trace", "version": 1, "label", "intervals", "islands", "level": [[..K..] × T], ...}.
[[nodiscard]] inline nlohmann::json trace_to_json(const sim::trace& tr) {
    nlohmann::json j;
    j["schema"] = "l2s.trace";
    j["version"] = 1;
    j["label"] = tr.label;
    j["intervals"] = tr.num_intervals();
    j["islands"] = tr.num_islands();
    auto mat = [&](const xt::xtensor<double, 2>& a) {
        nlohmann::json m = nlohmann::json::array();
        for (std::size_t t = 0; t < a.shape()[0]; ++t) {
            nlohmann::json r = nlohmann::json::array();
            for (std::size_t k = 0; k < a.shape()[1]; ++k) r.push_back(a(t, k));
            m.push_back(std::move(r));
        }
        return m;
    };
    j["level"] = mat(tr.level);
    j["freq_hz"] = mat(tr.freq_hz);
    j["power_w"] = mat(tr.power_w);
    j["temp_c"] = mat(tr.temp_c);
    j["time_s"] = std::vector<double>(tr.time_s.begin(), tr.time_s.end());
    j["energy_j"] = std::vector<double>(tr.energy_j.begin(), tr.energy_j.end());
    return j;
}

namespace detail {
inline std::string fmt(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", v);
    return b;
}
inline std::string xml_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '&': o += "&amp;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}
inline const char* colour(std::size_t i) {
    static const char* c[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                              "#bcbd22", "#17becf"};
    return c[i % 10];
}
/// One panel: a polyline per island of series(t, k) against cumulative time.
inline void svg_panel(std::ostream& o, const sim::trace& tr, const xt::xtensor<double, 2>& series, const std::string& title,
                      double x0, double y0, double w, double h, std::size_t max_lines) {
    const std::size_t T = tr.num_intervals(), K = std::min(tr.num_islands(), max_lines);
    double lo = 1e300, hi = -1e300, total = 0.0;
    for (std::size_t t = 0; t < T; ++t) {
        total += tr.time_s(t);
        for (std::size_t k = 0; k < K; ++k) {
            lo = std::min(lo, series(t, k));
            hi = std::max(hi, series(t, k));
        }
    }
    if (!(hi > lo)) {
        hi = lo + 1.0;
        lo -= 1.0;
    }
    o << "<rect x='" << x0 << "' y='" << y0 << "' width='" << w << "' height='" << h
      << "' fill='none' stroke='#999'/>\n<text x='" << x0 << "' y='" << y0 - 6 << "' font-size='13'>" << xml_escape(title)
      << " (" << fmt(lo) << " to " << fmt(hi) << "; time 0 to " << fmt(total * 1e3) << " ms)</text>\n";
    for (std::size_t k = 0; k < K; ++k) {
        o << "<polyline fill='none' stroke-width='1.2' stroke='" << colour(k) << "' points='";
        double clock = 0.0;
        for (std::size_t t = 0; t < T; ++t) {
            const double y = y0 + h - (series(t, k) - lo) / (hi - lo) * h;
            o << fmt(x0 + clock / total * w) << ',' << fmt(y) << ' ';
            clock += tr.time_s(t);
            o << fmt(x0 + clock / total * w) << ',' << fmt(y) << ' ';
        }
        o << "'/>\n";
    }
}
}  // namespace detail

/// An SVG with two panels: V/F level and temperature per island over time (at most max_islands lines).
inline void write_trace_svg(std::ostream& o, const sim::trace& tr, std::size_t max_islands = 16) {
    if (tr.num_intervals() == 0) throw invalid_argument("l2s::io::write_trace_svg: empty trace");
    const double W = 900, H = 560;
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "' font-family='sans-serif'>\n";
    o << "<text x='20' y='22' font-size='15'>" << detail::xml_escape(tr.label) << "</text>\n";
    detail::svg_panel(o, tr, tr.level, "V/F level per island", 50, 60, 820, 200, max_islands);
    detail::svg_panel(o, tr, tr.temp_c, "temperature per island (C)", 50, 320, 820, 200, max_islands);
    o << "</svg>\n";
}

/// An SVG bar chart of one metric per named entry (e.g. EDP per policy), bars labelled with their values.
inline void write_bar_svg(std::ostream& o, const std::vector<std::pair<std::string, double>>& bars, const std::string& title) {
    if (bars.empty()) throw invalid_argument("l2s::io::write_bar_svg: no bars");
    double hi = 0.0;
    for (const auto& b : bars) {
        if (!std::isfinite(b.second) || b.second < 0.0) throw invalid_argument("l2s::io::write_bar_svg: values must be finite and >= 0");
        hi = std::max(hi, b.second);
    }
    if (hi <= 0.0) hi = 1.0;
    const double W = 120.0 + 90.0 * static_cast<double>(bars.size()), H = 360, base = 300, top = 50;
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "' font-family='sans-serif'>\n";
    o << "<text x='20' y='25' font-size='15'>" << detail::xml_escape(title) << "</text>\n";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const double h = bars[i].second / hi * (base - top), x = 60.0 + 90.0 * static_cast<double>(i);
        o << "<rect x='" << x << "' y='" << base - h << "' width='60' height='" << h << "' fill='" << detail::colour(i) << "'/>\n";
        o << "<text x='" << x + 30 << "' y='" << base - h - 5 << "' font-size='11' text-anchor='middle'>"
          << detail::fmt(bars[i].second) << "</text>\n";
        o << "<text x='" << x + 30 << "' y='" << base + 16 << "' font-size='11' text-anchor='middle'>"
          << detail::xml_escape(bars[i].first) << "</text>\n";
    }
    o << "</svg>\n";
}

/// One named line of write_line_svg: points (x[i], y[i]); dashed draws it dashed.
struct svg_line {
    std::string name;
    std::vector<double> x, y;
    bool dashed = false;
};

/// A line chart of several series on shared axes (axis ranges from the data, ticks at both ends), with a
/// legend. Throws invalid_argument for no lines, x and y of different lengths, or non-finite values.
inline void write_line_svg(std::ostream& o, const std::vector<svg_line>& lines, const std::string& title,
                           const std::string& x_label, const std::string& y_label) {
    const std::string who = "l2s::io::write_line_svg";
    if (lines.empty()) throw invalid_argument(who + ": no lines");
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    for (const auto& l : lines) {
        if (l.x.size() != l.y.size()) throw invalid_argument(who + ": line '" + l.name + "' has x and y of different lengths");
        for (std::size_t i = 0; i < l.x.size(); ++i) {
            if (!std::isfinite(l.x[i]) || !std::isfinite(l.y[i])) throw invalid_argument(who + ": line '" + l.name + "' has a non-finite point");
            x0 = std::min(x0, l.x[i]), x1 = std::max(x1, l.x[i]), y0 = std::min(y0, l.y[i]), y1 = std::max(y1, l.y[i]);
        }
    }
    if (!(x1 > x0)) x1 = x0 + 1.0;
    if (!(y1 > y0)) y1 = y0 + 1.0;
    const double W = 720, H = 380, L = 60, R = 180, T = 40, B = 50, pw = W - L - R, ph = H - T - B;
    auto px = [&](double x) { return L + (x - x0) / (x1 - x0) * pw; };
    auto py = [&](double y) { return T + (1.0 - (y - y0) / (y1 - y0)) * ph; };
    o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << W << "' height='" << H << "' font-family='sans-serif'>\n";
    o << "<text x='" << L << "' y='25' font-size='15'>" << detail::xml_escape(title) << "</text>\n";
    o << "<rect x='" << L << "' y='" << T << "' width='" << pw << "' height='" << ph << "' fill='none' stroke='#999'/>\n";
    o << "<text x='" << L << "' y='" << T + ph + 16 << "' font-size='11'>" << detail::fmt(x0) << "</text>\n";
    o << "<text x='" << L + pw << "' y='" << T + ph + 16 << "' font-size='11' text-anchor='end'>" << detail::fmt(x1) << "</text>\n";
    o << "<text x='" << L - 5 << "' y='" << T + ph << "' font-size='11' text-anchor='end'>" << detail::fmt(y0) << "</text>\n";
    o << "<text x='" << L - 5 << "' y='" << T + 10 << "' font-size='11' text-anchor='end'>" << detail::fmt(y1) << "</text>\n";
    o << "<text x='" << L + pw / 2 << "' y='" << H - 12 << "' font-size='12' text-anchor='middle'>" << detail::xml_escape(x_label)
      << "</text>\n";
    o << "<text x='15' y='" << T + ph / 2 << "' font-size='12' text-anchor='middle' transform='rotate(-90 15 " << T + ph / 2
      << ")'>" << detail::xml_escape(y_label) << "</text>\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        o << "<polyline fill='none' stroke='" << detail::colour(i) << "' stroke-width='1.5'"
          << (l.dashed ? " stroke-dasharray='5,3'" : "") << " points='";
        for (std::size_t j = 0; j < l.x.size(); ++j) o << px(l.x[j]) << "," << py(l.y[j]) << " ";
        o << "'/>\n";
        const double ly = T + 14.0 * static_cast<double>(i) + 8.0;
        o << "<line x1='" << W - R + 10 << "' y1='" << ly << "' x2='" << W - R + 35 << "' y2='" << ly << "' stroke='"
          << detail::colour(i) << "' stroke-width='2'" << (l.dashed ? " stroke-dasharray='5,3'" : "") << "/>\n";
        o << "<text x='" << W - R + 40 << "' y='" << ly + 4 << "' font-size='11'>" << detail::xml_escape(l.name) << "</text>\n";
    }
    o << "</svg>\n";
}

}  // namespace l2s::io
