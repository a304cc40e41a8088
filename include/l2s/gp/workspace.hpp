// SPDX-License-Identifier: MIT
// l2s/gp/workspace.hpp: reusable scratch storage for the GP's const paths (likelihood at θ, its gradient,
// batch prediction), so that repeated calls at the same size allocate no n × n matrix.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>

#include <Eigen/Core>

#include <l2s/core/types.hpp>

namespace l2s::gp {

/// Scratch buffers that grow to the largest size requested and are then reused. exact_gp owns one for its
/// const members; a caller that runs const members of one GP from several threads passes one workspace per
/// thread (`predict(Z, ws)`, `log_marginal_likelihood_gradient(ws)`, `evaluate_log_marginal_likelihood(θ, ws)`).
/// Contents between calls are unspecified.  @see docs/gp.md#workspace
class workspace {
public:
    /// Buffer i viewed as a contiguous r × c matrix (grown when smaller; contents unspecified).
    [[nodiscard]] Eigen::Map<mat, Eigen::AlignedMax> matrix(std::size_t i, Eigen::Index r, Eigen::Index c) {
        vec& b = buffers_.at(i);
        if (b.size() < r * c) b.resize(r * c);
        return {b.data(), r, c};
    }
    /// Doubles held over all buffers.
    [[nodiscard]] std::size_t capacity() const noexcept {
        std::size_t s = 0;
        for (const auto& b : buffers_) s += static_cast<std::size_t>(b.size());
        return s;
    }

private:
    std::array<vec, 4> buffers_;
};

namespace detail {

/// A workspace owned by an object and used by its const members. One caller at a time takes it (an atomic
/// try-lock); a concurrent caller gets a temporary workspace of its own, so const members stay safe to call
/// from several threads. Copies and assignments do not copy the scratch.
class workspace_slot {
public:
    workspace_slot() = default;
    workspace_slot(const workspace_slot&) noexcept {}
    workspace_slot& operator=(const workspace_slot&) noexcept { return *this; }
    ~workspace_slot() = default;

    /// f(workspace&) with the owned workspace when free, else with a temporary one.
    template <class F>
    decltype(auto) with(F&& f) const {
        if (busy_.test_and_set(std::memory_order_acquire)) {
            workspace local;
            return f(local);
        }
        struct release {
            std::atomic_flag& flag;
            ~release() { flag.clear(std::memory_order_release); }
        } guard{busy_};
        return f(ws_);
    }

private:
    mutable workspace ws_;
    mutable std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
};

/// A matrix used as scratch by its owner: copies start empty (a copied model does not copy its scratch).
struct scratch_matrix {
    mat m;
    scratch_matrix() = default;
    scratch_matrix(const scratch_matrix&) noexcept {}
    scratch_matrix(scratch_matrix&&) noexcept = default;
    scratch_matrix& operator=(const scratch_matrix&) noexcept { return *this; }
    scratch_matrix& operator=(scratch_matrix&&) noexcept = default;
    ~scratch_matrix() = default;
};

}  // namespace detail
}  // namespace l2s::gp
