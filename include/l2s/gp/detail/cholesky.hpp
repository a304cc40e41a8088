// SPDX-License-Identifier: MIT
// l2s/gp/detail/cholesky.hpp: Cholesky with a jitter ladder, rank-one update, and K⁻¹ from the factor.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/core/types.hpp>

namespace l2s::gp::detail {

/// Whether a pivot p (the square of a diagonal entry of L) is usable for a matrix whose largest
/// diagonal entry is scale: p > ε·scale. Smaller pivots make the factor meaningless in double.
[[nodiscard]] inline bool usable_pivot(double p, double scale) noexcept {
    return std::isfinite(p) && p > std::numeric_limits<double>::epsilon() * scale;
}

/// Lower Cholesky factor of A; false when a pivot is not usable.
[[nodiscard]] inline bool try_cholesky(const mat& A, mat& L) {
    Eigen::LLT<mat, Eigen::Lower> llt(A);
    if (llt.info() != Eigen::Success) return false;
    L = llt.matrixL();
    const double scale = A.diagonal().cwiseAbs().maxCoeff();
    for (Eigen::Index i = 0; i < L.rows(); ++i)
        if (!usable_pivot(L(i, i) * L(i, i), scale)) return false;
    return true;
}

/// Factorises A; on failure retries with A + j·mean(diag A)·I for each j of the ladder, each retry reported
/// as a jitter_added event in `events`. Returns the jitter added (0 if none). Throws numerical_error
/// ("<who>: jitter ladder exhausted") when every step fails.
inline double cholesky_with_ladder(const mat& A, mat& L, const std::vector<double>& ladder, const char* who,
                                   std::vector<numerical_event>& events) {
    if (A.rows() == 0) {
        L.resize(0, 0);
        return 0.0;
    }
    if (try_cholesky(A, L)) return 0.0;
    const double base = A.diagonal().mean();
    mat Aj = A;
    for (double step : ladder) {
        const double jitter = step * base;
        Aj.diagonal() = A.diagonal().array() + jitter;
        events.push_back({who, numerical_event_kind::jitter_added, jitter,
                          "Cholesky failed; retrying with diagonal jitter " + std::to_string(jitter)});
        if (try_cholesky(Aj, L)) return jitter;
    }
    throw numerical_error(std::string(who) + ": jitter ladder exhausted (matrix not positive definite in double)");
}

/// Lower Cholesky factor of the symmetric A computed in place (Eigen's LLT on a Ref: only the lower triangle
/// is read and overwritten, the strictly upper triangle is left as it was); false when a pivot is not usable
/// for a matrix whose largest diagonal entry is `scale`.
[[nodiscard]] inline bool try_cholesky_in_place(Eigen::Ref<mat> A, double scale) {
    Eigen::LLT<Eigen::Ref<mat>, Eigen::Lower> llt(A);
    if (llt.info() != Eigen::Success) return false;
    for (Eigen::Index i = 0; i < A.rows(); ++i)
        if (!usable_pivot(A(i, i) * A(i, i), scale)) return false;
    return true;
}

/// As cholesky_with_ladder, in place: A holds the full symmetric matrix on entry and its lower factor in the
/// lower triangle on return (the strictly upper triangle keeps A's entries, from which each retry rebuilds
/// the lower one). `diag` (at least n entries) keeps A's diagonal. Same jitter ladder, events and errors;
/// no allocation beyond Eigen's blocking buffers.
inline double cholesky_in_place_with_ladder(Eigen::Ref<mat> A, Eigen::Ref<vec> diag, const std::vector<double>& ladder,
                                            const char* who, std::vector<numerical_event>& events) {
    const Eigen::Index n = A.rows();
    if (n == 0) return 0.0;
    auto d = diag.head(n);
    d = A.diagonal();
    if (try_cholesky_in_place(A, d.cwiseAbs().maxCoeff())) return 0.0;
    const double base = d.mean();
    for (double step : ladder) {
        const double jitter = step * base;
        A.template triangularView<Eigen::StrictlyLower>() = A.transpose();
        A.diagonal() = d.array() + jitter;
        events.push_back({who, numerical_event_kind::jitter_added, jitter,
                          "Cholesky failed; retrying with diagonal jitter " + std::to_string(jitter)});
        if (try_cholesky_in_place(A, A.diagonal().cwiseAbs().maxCoeff())) return jitter;
    }
    throw numerical_error(std::string(who) + ": jitter ladder exhausted (matrix not positive definite in double)");
}

/// In-place rank-one update of a lower Cholesky factor: L L' ᵀ = L Lᵀ + x xᵀ (x is overwritten).
/// Givens-style column sweep, O(m²) for an m × m block.
template <class Block>
void cholesky_rank_one_update(Block&& L, vec& x) {
    const Eigen::Index m = x.size();
    for (Eigen::Index k = 0; k < m; ++k) {
        const double lkk = L(k, k);
        const double r = std::hypot(lkk, x(k));
        const double c = r / lkk, s = x(k) / lkk;
        L(k, k) = r;
        const Eigen::Index rest = m - k - 1;
        if (rest > 0) {
            auto col = L.col(k).tail(rest);
            auto xs = x.tail(rest);
            col = (col + s * xs) / c;
            xs = c * xs - s * col;
        }
    }
}

/// Solves L X = B in place for a lower-triangular L (n × n) and any number of right-hand sides, by
/// recursive halving: X₁ = L₁₁⁻¹ B₁, B₂ −= L₂₁ X₁ (one GEMM), X₂ = L₂₂⁻¹ B₂, down to blocks of at most
/// `leaf` rows solved by Eigen's triangular solver. Nearly all n²m flops then run in Eigen's GEMM kernel,
/// which is faster than its blocked TRSM (docs/results/performance.md#gp). One right-hand side is a vector solve
/// (TRSV), which reads the factor once.
inline void lower_solve_in_place(const Eigen::Ref<const mat>& L, Eigen::Ref<mat> B, Eigen::Index leaf = 64) {
    const Eigen::Index n = L.rows();
    if (n == 0 || B.cols() == 0) return;
    if (B.cols() == 1) {
        auto b = B.col(0);
        L.triangularView<Eigen::Lower>().solveInPlace(b);
        return;
    }
    if (n <= std::max<Eigen::Index>(leaf, 8)) {
        L.triangularView<Eigen::Lower>().solveInPlace(B);
        return;
    }
    const Eigen::Index h = (n / 2 + 7) / 8 * 8;  // a multiple of 8 keeps the GEMM operands aligned
    lower_solve_in_place(L.topLeftCorner(h, h), B.topRows(h), leaf);
    B.bottomRows(n - h).noalias() -= L.bottomLeftCorner(n - h, h) * B.topRows(h);
    lower_solve_in_place(L.bottomRightCorner(n - h, n - h), B.bottomRows(n - h), leaf);
}

/// K⁻¹ = L⁻ᵀ L⁻¹ (full symmetric) from the lower factor L, in about (2/3) n³ flops: a blocked triangular
/// inverse (n³/3) followed by a blocked triangular product L⁻ᵀ L⁻¹ (n³/3), as LAPACK's potri does.
[[nodiscard]] inline mat inverse_from_cholesky(const Eigen::Ref<const mat>& L, Eigen::Index block = 64) {
    const Eigen::Index n = L.rows();
    mat Li = mat::Zero(n, n);
    for (Eigen::Index j = 0; j < n; j += block) {
        const Eigen::Index b = std::min(block, n - j), m = n - j;
        auto X = Li.block(j, j, m, b);
        X.topRows(b).setIdentity();
        L.bottomRightCorner(m, m).triangularView<Eigen::Lower>().solveInPlace(X);
    }
    mat Kinv(n, n);
    for (Eigen::Index j = 0; j < n; j += block) {
        const Eigen::Index b = std::min(block, n - j), m = n - j;
        // Columns j..j+b of the lower part: (Li_{≥j,≥j})ᵀ Li_{≥j, j..j+b}.
        Kinv.block(j, j, m, b).noalias() =
            Li.bottomRightCorner(m, m).transpose().triangularView<Eigen::Upper>() * Li.block(j, j, m, b);
    }
    Kinv.triangularView<Eigen::StrictlyUpper>() = Kinv.transpose();
    return Kinv;
}

/// K⁻¹ (full symmetric) in place: A holds the lower factor L on entry (its strictly upper triangle is
/// ignored) and K⁻¹ = L⁻ᵀ L⁻¹ on return. The same blocked steps as inverse_from_cholesky, column block by
/// column block: block j of L⁻¹ only needs L's columns ≥ j, and block j of K⁻¹ only L⁻¹'s columns ≥ j, so
/// each block is computed in `panel` (at least n × block) and written back over the columns it no longer
/// needs. No allocation beyond Eigen's blocking buffers.
inline void inverse_from_cholesky_in_place(Eigen::Ref<mat> A, Eigen::Ref<mat> panel, Eigen::Index block = 64) {
    const Eigen::Index n = A.rows();
    for (Eigen::Index j = 0; j < n; j += block) {
        const Eigen::Index b = std::min(block, n - j), m = n - j;
        auto P = panel.topLeftCorner(m, b);
        P.setZero();
        P.topRows(b).setIdentity();
        A.bottomRightCorner(m, m).triangularView<Eigen::Lower>().solveInPlace(P);
        A.block(j, j, m, b) = P;
    }
    for (Eigen::Index j = 0; j < n; j += block) {
        const Eigen::Index b = std::min(block, n - j), m = n - j;
        auto P = panel.topLeftCorner(m, b);
        P.noalias() = A.bottomRightCorner(m, m).transpose().triangularView<Eigen::Upper>() * A.block(j, j, m, b);
        A.block(j, j, m, b) = P;
    }
    A.triangularView<Eigen::StrictlyUpper>() = A.transpose();
}

}  // namespace l2s::gp::detail
