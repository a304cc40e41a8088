// SPDX-License-Identifier: MIT
// l2s/host/thermal.hpp: per-domain temperature from thermal zones (selected by type) or hwmon temp inputs.
#pragma once
#include <algorithm>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <l2s/core/error.hpp>
#include <l2s/host/detail/sysfs.hpp>

namespace l2s::host {

/// Which temperature sensors belong to each frequency domain (the hottest is the domain's temperature).
/// A sensor is named by a spec string:
///   `thermal:<type>`         <root>/sys/class/thermal/thermal_zone*/temp of the zone whose `type` is <type>
///   `hwmon:<name>:temp<N>`   temp<N>_input of the hwmon device whose `name` file is <name>
/// Both are in millidegrees Celsius.  @see docs/host.md#temperature_reader
struct temperature_reader_config {
    std::filesystem::path root = "/";                ///< prefix of every system path (a fake tree in tests)
    std::vector<std::vector<std::string>> domains{};  ///< domains[k]: the sensors of domain k
};

/// Reads every domain's temperature. Construction resolves every spec and reads it once; an unknown spec or
/// a missing sensor throws invalid_config or io_error naming it.
class temperature_reader {
public:
    using config = temperature_reader_config;

    explicit temperature_reader(config cfg) : cfg_(std::move(cfg)) {
        for (std::size_t k = 0; k < cfg_.domains.size(); ++k)
            for (const auto& spec : cfg_.domains[k]) {
                paths_.push_back(resolve(spec, k));
                files_.emplace_back(paths_.back());
                domain_.push_back(k);
                (void)files_.back().read_int(buf_, who);
            }
    }

    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] bool has_sensor(std::size_t k) const noexcept {
        return k < cfg_.domains.size() && !cfg_.domains[k].empty();
    }
    /// The files read, in spec order.
    [[nodiscard]] const std::vector<std::filesystem::path>& files() const noexcept { return paths_; }

    /// temp_c[k] = hottest sensor of domain k in °C (0 for domains without one). Throws io_error naming the file.
    void read(std::span<double> temp_c) {
        for (std::size_t k = 0; k < temp_c.size(); ++k) temp_c[k] = has_sensor(k) ? -std::numeric_limits<double>::infinity() : 0.0;
        for (std::size_t i = 0; i < files_.size(); ++i)
            if (domain_[i] < temp_c.size())
                temp_c[domain_[i]] = std::max(temp_c[domain_[i]], 1e-3 * static_cast<double>(files_[i].read_int(buf_, who)));
    }

private:
    [[nodiscard]] std::filesystem::path resolve(const std::string& spec, std::size_t k) const {
        if (spec.rfind("thermal:", 0) == 0) {
            const auto cls = detail::under(cfg_.root, "/sys/class/thermal");
            const auto zone = detail::find_by_file(cls, "thermal_zone", "type", spec.substr(8));
            if (zone.empty())
                throw io_error(std::string(who) + ": no thermal zone of type '" + spec.substr(8) + "' under " + cls.string() +
                               " (domain " + std::to_string(k) + ")");
            return zone / "temp";
        }
        if (spec.rfind("hwmon:", 0) == 0) {
            const auto colon = spec.find(':', 6);
            if (colon != std::string::npos && spec.compare(colon + 1, 4, "temp") == 0) {
                const auto cls = detail::under(cfg_.root, "/sys/class/hwmon");
                const auto dev = detail::find_by_file(cls, "hwmon", "name", spec.substr(6, colon - 6));
                if (dev.empty())
                    throw io_error(std::string(who) + ": no hwmon device named '" + spec.substr(6, colon - 6) + "' under " +
                                   cls.string() + " (domain " + std::to_string(k) + ")");
                return dev / (spec.substr(colon + 1) + "_input");
            }
        }
        throw invalid_config(std::string(who) + ": domain " + std::to_string(k) + ": unknown sensor '" + spec +
                             "' (thermal:<type> or hwmon:<name>:temp<N>)");
    }

    static constexpr const char* who = "l2s::host::temperature_reader";
    config cfg_;
    std::vector<std::filesystem::path> paths_;
    std::vector<detail::sysfs_file> files_;
    std::vector<std::size_t> domain_;
    std::string buf_;
};

}  // namespace l2s::host
