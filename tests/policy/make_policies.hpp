// tests/policy/make_policies.hpp: random but valid policies of every kind, for tests and benchmarks.
#pragma once
#include <random>

#include <l2s/policy.hpp>

namespace l2s::test {

inline mat random_mat(Eigen::Index r, Eigen::Index c, rng_type& rng, double s = 1.0) {
    std::normal_distribution<double> n(0.0, s);
    mat m(r, c);
    for (Eigen::Index j = 0; j < c; ++j)
        for (Eigen::Index i = 0; i < r; ++i) m(i, j) = n(rng);
    return m;
}

using policy::feature_set;

inline policy::island_layout random_layout(std::size_t K, std::size_t L, bool shared,
                                           feature_set set = feature_set::standard) {
    policy::feature_map fm(K, std::vector<std::size_t>(K, L), {.set = set});
    auto sc = policy::standard_scaler::identity(fm.num_features());
    for (std::size_t j = 0; j < sc.size(); ++j) sc.scale[j] = 1.0 + double(j % 5);
    return shared ? policy::island_layout::shared(fm, sc) : policy::island_layout::per_island(fm, sc);
}

template <class S = double>
policy::softmax_linear<S> random_softmax(std::size_t K, std::size_t L, rng_type& rng, bool shared = true,
                                         feature_set set = feature_set::standard) {
    auto lay = random_layout(K, L, shared, set);
    const auto F = Eigen::Index(lay.features.num_features());
    std::vector<policy::softmax_linear_head> heads(lay.num_heads());
    for (auto& h : heads) h = {random_mat(Eigen::Index(L), F, rng, 0.3), random_mat(Eigen::Index(L), 1, rng)};
    return {lay, heads};
}

template <class S = double>
policy::mlp<S> random_mlp(std::size_t K, std::size_t L, rng_type& rng, std::vector<Eigen::Index> hidden = {32},
                          bool shared = true, feature_set set = feature_set::standard) {
    auto lay = random_layout(K, L, shared, set);
    std::vector<policy::mlp_head> heads(lay.num_heads());
    for (auto& h : heads) {
        Eigen::Index in = Eigen::Index(lay.features.num_features());
        hidden.push_back(Eigen::Index(L));
        for (auto w : hidden) {
            h.weights.push_back(random_mat(w, in, rng, 1.0 / std::sqrt(double(in))));
            h.biases.push_back(random_mat(w, 1, rng, 0.1));
            in = w;
        }
        hidden.pop_back();
    }
    return {lay, heads};
}

/// A complete tree of the given depth on random features and thresholds, random leaf distributions.
template <class S = double>
policy::cart_tree<S> random_tree(std::size_t K, std::size_t L, rng_type& rng, std::size_t depth = 8, bool shared = true,
                                 feature_set set = feature_set::standard) {
    auto lay = random_layout(K, L, shared, set);
    std::vector<policy::cart_head> heads(lay.num_heads());
    std::uniform_int_distribution<int> f(0, int(lay.features.num_features()) - 1);
    std::normal_distribution<double> n(0.0, 1.0);
    for (auto& t : heads) {
        const std::size_t nodes = (std::size_t(1) << (depth + 1)) - 1;
        t.probs = mat::Zero(Eigen::Index(L), Eigen::Index(nodes));
        for (std::size_t i = 0; i < nodes; ++i) {
            const bool leaf = 2 * i + 1 >= nodes;
            t.feature.push_back(leaf ? -1 : f(rng));
            t.threshold.push_back(leaf ? 0.0 : n(rng));
            t.left.push_back(leaf ? 0u : std::uint32_t(2 * i + 1));
            t.right.push_back(leaf ? 0u : std::uint32_t(2 * i + 2));
            vec p = random_mat(Eigen::Index(L), 1, rng).array().exp();
            t.probs.col(Eigen::Index(i)) = p / p.sum();
        }
    }
    return {lay, heads};
}

}  // namespace l2s::test
