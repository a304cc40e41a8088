// SPDX-License-Identifier: MIT
// l2s/core/checks.hpp: argument checks that throw the typed errors of l2s/core/error.hpp.
// Each takes the qualified name of the caller, which starts the message.
#pragma once
#include <cmath>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include <l2s/core/error.hpp>

namespace l2s {

/// Throws non_finite_observation("<who>: <what> is not finite") unless every entry of x is finite.
template <class Derived>
void require_finite(std::string_view who, std::string_view what, const Eigen::DenseBase<Derived>& x) {
    if (!x.derived().allFinite())
        throw non_finite_observation(std::string(who) + ": " + std::string(what) + " contains NaN or Inf");
}

/// Throws non_finite_observation unless v is finite.
inline void require_finite(std::string_view who, std::string_view what, double v) {
    if (!std::isfinite(v))
        throw non_finite_observation(std::string(who) + ": " + std::string(what) + " is not finite (" +
                                     std::to_string(v) + ")");
}

/// Throws dimension_mismatch("<who>: <what> has size A, expected B") unless actual == expected.
inline void require_size(std::string_view who, std::string_view what, Eigen::Index actual, Eigen::Index expected) {
    if (actual != expected)
        throw dimension_mismatch(std::string(who) + ": " + std::string(what) + " has size " + std::to_string(actual) +
                                 ", expected " + std::to_string(expected));
}

/// Throws invalid_config("<who>: <field> must be <rule> (got v)") unless ok.
inline void require_config(bool ok, std::string_view who, std::string_view field, std::string_view rule, double v) {
    if (!ok)
        throw invalid_config(std::string(who) + ": " + std::string(field) + " must be " + std::string(rule) +
                             " (got " + std::to_string(v) + ")");
}

}  // namespace l2s
