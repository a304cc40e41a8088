// SPDX-License-Identifier: MIT
// l2s/learn/dataset.hpp: imitation datasets (samples × K × F features, samples × K oracle levels) in xtensor.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <l2s/core/checks.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/types.hpp>
#include <l2s/detail/xtensor_compat.hpp>
#include <l2s/policy/feature_set.hpp>
#include <l2s/policy/features.hpp>
#include <l2s/policy/island_policy.hpp>
#include <l2s/policy/scaler.hpp>

namespace l2s::learn {

/// Samples of (features of every island, oracle level of every island) and, optionally, the cost of
/// every level (for cost-sensitive training). Features are n × K × F, labels n × K, costs n × K × L_max,
/// all xtensor, row-major; rows are appended with amortised growth (capacity doubling).
/// @see docs/learn.md#dataset
class dataset {
public:
    /// An empty dataset for K = levels_per_island.size() islands with F features each.
    explicit dataset(std::vector<std::size_t> levels_per_island,
                     std::size_t features = policy::feature_count(policy::feature_set::standard))
        : levels_(std::move(levels_per_island)), F_(features) {
        constexpr const char* who = "l2s::learn::dataset";
        if (levels_.empty()) throw invalid_argument(std::string(who) + ": no islands");
        if (F_ == 0) throw invalid_argument(std::string(who) + ": no features");
        for (auto l : levels_)
            if (l < 1 || l > 256) throw invalid_argument(std::string(who) + ": levels per island must be in [1, 256]");
        lmax_ = *std::max_element(levels_.begin(), levels_.end());
        reserve(16);
    }

    [[nodiscard]] std::size_t size() const noexcept { return n_; }
    [[nodiscard]] bool empty() const noexcept { return n_ == 0; }
    [[nodiscard]] std::size_t num_islands() const noexcept { return levels_.size(); }
    [[nodiscard]] std::size_t num_features() const noexcept { return F_; }
    [[nodiscard]] std::size_t max_levels() const noexcept { return lmax_; }
    [[nodiscard]] const std::vector<std::size_t>& levels_per_island() const noexcept { return levels_; }
    /// True once a sample with per-level costs was appended (then every sample has them).
    [[nodiscard]] bool has_costs() const noexcept { return has_costs_; }

    /// Features of island k of sample i (F values).
    [[nodiscard]] std::span<const double> features(std::size_t i, std::size_t k) const noexcept {
        return {features_.data() + (i * num_islands() + k) * F_, F_};
    }
    [[nodiscard]] level_t label(std::size_t i, std::size_t k) const noexcept { return labels_(i, k); }
    /// Costs of the levels of island k of sample i (L_max values; empty when the dataset has no costs).
    [[nodiscard]] std::span<const double> costs(std::size_t i, std::size_t k) const noexcept {
        if (!has_costs_) return {};
        return {costs_.data() + (i * num_islands() + k) * lmax_, lmax_};
    }

    /// Evaluated copies of the first size() rows: n × K × F features, n × K labels, n × K × L_max costs.
    [[nodiscard]] xt::xtensor<double, 3> feature_tensor() const {
        xt::xtensor<double, 3> t = xt::zeros<double>({n_, num_islands(), F_});
        std::copy_n(features_.data(), n_ * num_islands() * F_, t.data());
        return t;
    }
    [[nodiscard]] xt::xtensor<level_t, 2> label_tensor() const {
        xt::xtensor<level_t, 2> t = xt::zeros<level_t>({n_, num_islands()});
        std::copy_n(labels_.data(), n_ * num_islands(), t.data());
        return t;
    }
    [[nodiscard]] xt::xtensor<double, 3> cost_tensor() const {
        xt::xtensor<double, 3> t = xt::zeros<double>({has_costs_ ? n_ : 0, num_islands(), lmax_});
        if (has_costs_) std::copy_n(costs_.data(), n_ * num_islands() * lmax_, t.data());
        return t;
    }

    /// Appends one sample: K·F finite features (island-major), K labels with label[k] < L_k, and
    /// optionally K·L_max finite costs. Throws (dataset unchanged) on any violation.
    void append(std::span<const double> features, std::span<const level_t> labels, std::span<const double> costs = {}) {
        constexpr const char* who = "l2s::learn::dataset::append";
        const auto K = num_islands();
        require_size(who, "features", static_cast<Eigen::Index>(features.size()), static_cast<Eigen::Index>(K * F_));
        require_size(who, "labels", static_cast<Eigen::Index>(labels.size()), static_cast<Eigen::Index>(K));
        for (double x : features)
            if (!std::isfinite(x)) throw non_finite_observation(std::string(who) + ": features contain NaN or Inf");
        for (std::size_t k = 0; k < K; ++k)
            if (labels[k] >= levels_[k])
                throw invalid_argument(std::string(who) + ": label " + std::to_string(labels[k]) + " of island " +
                                       std::to_string(k) + " is not below its " + std::to_string(levels_[k]) + " levels");
        if (n_ > 0 && has_costs_ != !costs.empty())
            throw invalid_argument(std::string(who) + ": every sample must have costs, or none");
        if (!costs.empty()) {
            require_size(who, "costs", static_cast<Eigen::Index>(costs.size()), static_cast<Eigen::Index>(K * lmax_));
            for (double c : costs)
                if (!std::isfinite(c)) throw non_finite_observation(std::string(who) + ": costs contain NaN or Inf");
        }
        if (n_ == capacity_) reserve(2 * capacity_);
        std::copy(features.begin(), features.end(), features_.data() + n_ * K * F_);
        std::copy(labels.begin(), labels.end(), labels_.data() + n_ * K);
        if (!costs.empty()) std::copy(costs.begin(), costs.end(), costs_.data() + n_ * K * lmax_);
        has_costs_ = !costs.empty();
        ++n_;
    }

    /// Appends every sample of other (same K, F and levels; both with costs or both without).
    void merge(const dataset& other) {
        constexpr const char* who = "l2s::learn::dataset::merge";
        if (other.levels_ != levels_ || other.F_ != F_)
            throw dimension_mismatch(std::string(who) + ": datasets differ in islands, levels or features");
        if (n_ > 0 && other.n_ > 0 && has_costs_ != other.has_costs_)
            throw invalid_argument(std::string(who) + ": one dataset has costs, the other not");
        if (n_ + other.n_ > capacity_) reserve(std::max(2 * capacity_, n_ + other.n_));
        const auto K = num_islands();
        std::copy_n(other.features_.data(), other.n_ * K * F_, features_.data() + n_ * K * F_);
        std::copy_n(other.labels_.data(), other.n_ * K, labels_.data() + n_ * K);
        if (other.has_costs_) std::copy_n(other.costs_.data(), other.n_ * K * lmax_, costs_.data() + n_ * K * lmax_);
        if (other.n_ > 0) has_costs_ = other.has_costs_;
        n_ += other.n_;
    }

    /// Samples at the given indices (in that order).
    [[nodiscard]] dataset subset(std::span<const std::size_t> idx) const {
        dataset d(levels_, F_);
        d.reserve(std::max<std::size_t>(idx.size(), 1));
        const auto K = num_islands();
        for (auto i : idx) {
            if (i >= n_) throw invalid_argument("l2s::learn::dataset::subset: index out of range");
            std::copy_n(features_.data() + i * K * F_, K * F_, d.features_.data() + d.n_ * K * F_);
            std::copy_n(labels_.data() + i * K, K, d.labels_.data() + d.n_ * K);
            if (has_costs_) std::copy_n(costs_.data() + i * K * lmax_, K * lmax_, d.costs_.data() + d.n_ * K * lmax_);
            ++d.n_;
        }
        d.has_costs_ = has_costs_ && !idx.empty();
        return d;
    }

    /// Shuffles (with rng) and splits into (first ⌊fraction·n⌉ samples, rest); fraction in [0, 1].
    [[nodiscard]] std::pair<dataset, dataset> split(double fraction, rng_type& rng) const {
        if (!(fraction >= 0.0 && fraction <= 1.0))
            throw invalid_argument("l2s::learn::dataset::split: fraction must be in [0, 1]");
        std::vector<std::size_t> idx(n_);
        std::iota(idx.begin(), idx.end(), std::size_t{0});
        for (std::size_t i = n_; i > 1; --i) {  // Fisher-Yates with an explicit engine (portable order)
            const std::size_t j = static_cast<std::size_t>(rng() % i);
            std::swap(idx[i - 1], idx[j]);
        }
        const auto cut = static_cast<std::size_t>(std::llround(fraction * double(n_)));
        return {subset(std::span<const std::size_t>(idx.data(), cut)),
                subset(std::span<const std::size_t>(idx.data() + cut, n_ - cut))};
    }

private:
    void reserve(std::size_t cap) {
        if (cap <= capacity_) return;
        const auto K = num_islands();
        xt::xtensor<double, 3> f = xt::zeros<double>({cap, K, F_});
        xt::xtensor<level_t, 2> l = xt::zeros<level_t>({cap, K});
        xt::xtensor<double, 3> c = xt::zeros<double>({cap, K, lmax_});
        std::copy_n(features_.data(), n_ * K * F_, f.data());
        std::copy_n(labels_.data(), n_ * K, l.data());
        if (has_costs_) std::copy_n(costs_.data(), n_ * K * lmax_, c.data());
        features_ = std::move(f);
        labels_ = std::move(l);
        costs_ = std::move(c);
        capacity_ = cap;
    }

    std::vector<std::size_t> levels_;
    std::size_t F_ = 0, lmax_ = 0, n_ = 0, capacity_ = 0;
    bool has_costs_ = false;
    xt::xtensor<double, 3> features_;
    xt::xtensor<level_t, 2> labels_;
    xt::xtensor<double, 3> costs_;
};

/// What every trainer shares: the feature map configuration the data was produced with and whether
/// islands with equal level counts share one head.  @see docs/learn.md#training_layout
struct training_layout_config {
    policy::feature_map_config features{};  ///< must match the map that produced the dataset
    bool share_heads = true;                ///< islands with the same L_k share a head (identical islands)
    double clip = 10.0;                     ///< scaler clip (|z| bound at decision time)
};

/// Per-head training report.
struct training_report {
    std::vector<double> final_loss;      ///< per head
    std::vector<std::size_t> iterations; ///< per head (L-BFGS iterations or epochs)
};

namespace detail {

/// Scaled training data of one head: X is F × m (one (sample, island) pair per column), y its labels,
/// w its weights (1, or cost regret when cost-sensitive).
struct head_data {
    mat X;
    std::vector<int> y;
    vec w;
    std::size_t levels = 0;
};

/// Fits the standard scaler on every (sample, island) row and builds the layout.
inline policy::island_layout make_layout(const dataset& d, const training_layout_config& c, std::string_view who) {
    if (d.empty()) throw invalid_argument(std::string(who) + ": empty dataset");
    if (!(c.clip > 0.0)) throw invalid_config(std::string(who) + ": clip must be > 0");
    policy::feature_map fm(d.num_islands(), d.levels_per_island(), c.features);
    if (d.num_features() != fm.num_features())
        throw dimension_mismatch(std::string(who) + ": dataset has " + std::to_string(d.num_features()) +
                                 " features, the '" + policy::to_string(c.features.set) + "' feature set has " +
                                 std::to_string(fm.num_features()) + " (set layout.features.set to the map that made it)");
    const std::size_t F = d.num_features(), K = d.num_islands();
    std::vector<double> mean(F, 0.0), m2(F, 0.0);
    double count = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i)
        for (std::size_t k = 0; k < K; ++k) {  // Welford
            count += 1.0;
            auto x = d.features(i, k);
            for (std::size_t j = 0; j < F; ++j) {
                const double delta = x[j] - mean[j];
                mean[j] += delta / count;
                m2[j] += delta * (x[j] - mean[j]);
            }
        }
    std::vector<double> scale(F);
    for (std::size_t j = 0; j < F; ++j) {
        const double sd = std::sqrt(m2[j] / count);
        scale[j] = sd > 1e-12 * std::max(1.0, std::abs(mean[j])) ? sd : 1.0;
    }
    std::vector<std::size_t> head(K);
    if (c.share_heads) {
        std::vector<std::size_t> seen;  // distinct level counts in order of first island
        for (std::size_t k = 0; k < K; ++k) {
            auto it = std::find(seen.begin(), seen.end(), d.levels_per_island()[k]);
            head[k] = static_cast<std::size_t>(it - seen.begin());
            if (it == seen.end()) seen.push_back(d.levels_per_island()[k]);
        }
    } else {
        std::iota(head.begin(), head.end(), std::size_t{0});
    }
    return {std::move(fm), policy::standard_scaler{std::move(mean), std::move(scale), c.clip}, std::move(head)};
}

/// Scaled columns, labels and weights of head h. cost_weighted: w = (mean_l c − min_l c), normalised to mean 1.
inline head_data collect(const dataset& d, const policy::island_layout& lay, std::size_t h, bool cost_weighted = false) {
    const std::size_t F = d.num_features(), K = d.num_islands();
    std::size_t m = 0;
    for (std::size_t k = 0; k < K; ++k) m += lay.head_of_island[k] == h ? d.size() : 0;
    head_data out;
    out.X.resize(static_cast<Eigen::Index>(F), static_cast<Eigen::Index>(m));
    out.y.reserve(m);
    out.w = vec::Ones(static_cast<Eigen::Index>(m));
    Eigen::Index col = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
        for (std::size_t k = 0; k < K; ++k) {
            if (lay.head_of_island[k] != h) continue;
            out.levels = d.levels_per_island()[k];
            lay.scaler.transform(d.features(i, k), std::span<double>(out.X.col(col).data(), F));
            out.y.push_back(d.label(i, k));
            if (cost_weighted && d.has_costs()) {
                auto c = d.costs(i, k).first(out.levels);
                double mn = c[0], mean = 0.0;
                for (double x : c) {
                    mn = std::min(mn, x);
                    mean += x / double(c.size());
                }
                out.w(col) = mean - mn;
            }
            ++col;
        }
    if (cost_weighted && d.has_costs()) {
        const double s = out.w.mean();
        out.w = s > 0.0 ? vec(out.w / s) : vec(vec::Ones(out.w.size()));
    }
    return out;
}

inline void check_labels(const head_data& hd, std::string_view who) {
    for (int y : hd.y)
        if (y < 0 || static_cast<std::size_t>(y) >= hd.levels)
            throw invalid_argument(std::string(who) + ": label out of range");
}

/// The per-head training loop every trainer shares: fits the layout (scaler, heads), then for each head
/// collects its scaled rows, checks labels and calls fit(head_data, h) → {head, final loss, iterations};
/// returns Policy(layout, heads) and fills report if given.
template <class Policy, class Head, class Fit>
Policy train_heads(const dataset& d, const training_layout_config& layout, bool cost_weighted, std::string_view who,
                   training_report* report, Fit&& fit) {
    auto lay = make_layout(d, layout, who);
    std::vector<Head> heads;
    training_report rep;
    for (std::size_t h = 0; h < lay.num_heads(); ++h) {
        auto hd = collect(d, lay, h, cost_weighted);
        check_labels(hd, who);
        auto [head, loss, iterations] = fit(hd, h);
        heads.push_back(std::move(head));
        rep.final_loss.push_back(loss);
        rep.iterations.push_back(iterations);
    }
    Policy p(std::move(lay), std::move(heads));
    if (report) *report = std::move(rep);
    return p;
}

}  // namespace detail
}  // namespace l2s::learn
