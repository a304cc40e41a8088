// SPDX-License-Identifier: MIT
// l2s/host/power.hpp: per-domain power from powercap (RAPL energy counters, with wraparound) and hwmon
// (power, energy, or current × voltage rails such as the Odroid-XU3's INA231 sensors).
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/host/detail/sysfs.hpp>

namespace l2s::host {

/// Energy consumed between two readings of a counter that wraps at max_range (RAPL's energy_uj wraps at
/// max_energy_range_uj): now − before, or (max_range − before) + now when the counter wrapped.
[[nodiscard]] constexpr std::uint64_t wrapped_delta(std::uint64_t before, std::uint64_t now, std::uint64_t max_range) noexcept {
    if (now >= before) return now - before;
    return max_range >= before ? (max_range - before) + now : now;
}

/// Which power sensors make up each frequency domain's power (their readings are summed).
/// A sensor is named by a spec string:
///   `powercap:<zone>`          <root>/sys/class/powercap/<zone>/energy_uj (µJ, wraps at max_energy_range_uj)
///   `hwmon:<name>:power<N>`    power<N>_input (µW) of the hwmon device whose `name` file is <name>
///   `hwmon:<name>:energy<N>`   energy<N>_input (µJ, cumulative)
///   `hwmon:<name>:curr<N>*in<M>`  curr<N>_input (mA) × in<M>_input (mV)
/// @see docs/host.md#power_meter
struct power_meter_config {
    std::filesystem::path root = "/";                ///< prefix of every system path (a fake tree in tests)
    std::vector<std::vector<std::string>> domains{};  ///< domains[k]: the specs summed into domain k's power
};

/// Reads every domain's power over an interval. Energy counters give the mean power of the interval
/// (Δenergy / interval); power and current × voltage sensors give their instantaneous reading.
/// Construction resolves every spec and reads it once; an unknown spec or a missing file throws
/// invalid_config or io_error naming it.
class power_meter {
public:
    using config = power_meter_config;

    explicit power_meter(config cfg) : cfg_(std::move(cfg)) {
        for (std::size_t k = 0; k < cfg_.domains.size(); ++k)
            for (const auto& spec : cfg_.domains[k]) sources_.push_back(resolve(spec, k));
        start();
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t num_domains() const noexcept { return cfg_.domains.size(); }
    /// Whether domain k has at least one sensor.
    [[nodiscard]] bool has_sensor(std::size_t k) const noexcept {
        return k < cfg_.domains.size() && !cfg_.domains[k].empty();
    }

    /// Re-reads the energy counters: the next read() measures from now.
    void start() {
        for (auto& s : sources_)
            if (s.type == kind::energy) s.last = s.a.read_uint(buf_, who);
    }

    /// power_w[k] = domain k's power over the interval of interval_s seconds since the previous read or start
    /// (domains without a sensor get 0). Throws io_error naming the file when a sensor cannot be read; power_w
    /// may then be partly written, and the counters keep their previous values.
    void read(std::span<double> power_w, double interval_s) {
        for (auto& p : power_w) p = 0.0;
        for (auto& s : sources_) {
            switch (s.type) {
            case kind::energy: {
                s.next = s.a.read_uint(buf_, who);
                const std::uint64_t d = s.max_range ? wrapped_delta(s.last, s.next, s.max_range)
                                                    : (s.next >= s.last ? s.next - s.last : 0);
                if (s.domain < power_w.size() && interval_s > 0.0) power_w[s.domain] += 1e-6 * static_cast<double>(d) / interval_s;
                break;
            }
            case kind::power:
                if (s.domain < power_w.size()) power_w[s.domain] += 1e-6 * static_cast<double>(s.a.read_uint(buf_, who));
                break;
            case kind::current_voltage: {
                const double ma = static_cast<double>(s.a.read_uint(buf_, who));
                const double mv = static_cast<double>(s.b.read_uint(buf_, who));
                if (s.domain < power_w.size()) power_w[s.domain] += 1e-6 * ma * mv;
                break;
            }
            }
        }
        for (auto& s : sources_)
            if (s.type == kind::energy) s.last = s.next;
    }

private:
    enum class kind { energy, power, current_voltage };
    struct source {
        kind type = kind::power;
        std::size_t domain = 0;
        detail::sysfs_file a, b;
        std::uint64_t max_range = 0;  // energy counters: wrap point (0: never wraps)
        std::uint64_t last = 0, next = 0;
    };

    [[nodiscard]] source resolve(const std::string& spec, std::size_t k) const {
        source s;
        s.domain = k;
        if (spec.rfind("powercap:", 0) == 0) {
            const auto zone = detail::under(cfg_.root, "/sys/class/powercap") / spec.substr(9);
            s.type = kind::energy;
            s.a = detail::sysfs_file(zone / "energy_uj");
            std::string buf;
            s.max_range = detail::read_uint(zone / "max_energy_range_uj", buf, who);
            (void)s.a.read_uint(buf, who);
            return s;
        }
        if (spec.rfind("hwmon:", 0) == 0) {
            const auto colon = spec.find(':', 6);
            if (colon == std::string::npos) throw bad_spec(spec, k);
            const std::string name = spec.substr(6, colon - 6), chan = spec.substr(colon + 1);
            const auto dev = detail::find_by_file(detail::under(cfg_.root, "/sys/class/hwmon"), "hwmon", "name", name);
            if (dev.empty())
                throw io_error(std::string(who) + ": no hwmon device named '" + name + "' under " +
                               detail::under(cfg_.root, "/sys/class/hwmon").string() + " (domain " + std::to_string(k) + ")");
            std::string buf;
            if (const auto star = chan.find('*'); star != std::string::npos) {
                s.type = kind::current_voltage;
                s.a = detail::sysfs_file(dev / (chan.substr(0, star) + "_input"));
                s.b = detail::sysfs_file(dev / (chan.substr(star + 1) + "_input"));
                if (chan.rfind("curr", 0) != 0 || chan.compare(star + 1, 2, "in") != 0) throw bad_spec(spec, k);
                (void)s.b.read_uint(buf, who);
            } else if (chan.rfind("power", 0) == 0) {
                s.type = kind::power;
                s.a = detail::sysfs_file(dev / (chan + "_input"));
            } else if (chan.rfind("energy", 0) == 0) {
                s.type = kind::energy;
                s.a = detail::sysfs_file(dev / (chan + "_input"));
            } else {
                throw bad_spec(spec, k);
            }
            (void)s.a.read_uint(buf, who);
            return s;
        }
        throw bad_spec(spec, k);
    }
    [[nodiscard]] static invalid_config bad_spec(const std::string& spec, std::size_t k) {
        return invalid_config(std::string(who) + ": domain " + std::to_string(k) + ": unknown sensor '" + spec +
                              "' (powercap:<zone>, hwmon:<name>:power<N>, hwmon:<name>:energy<N> or "
                              "hwmon:<name>:curr<N>*in<M>)");
    }

    static constexpr const char* who = "l2s::host::power_meter";
    config cfg_;
    std::vector<source> sources_;
    std::string buf_;
};

}  // namespace l2s::host
