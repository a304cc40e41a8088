// SPDX-License-Identifier: MIT
// l2s/bo/optimizer.hpp: the ask/tell Bayesian-optimisation driver (config and state: l2s/bo/optimizer_state.hpp;
// the evaluation loop run(): l2s/bo/run.hpp).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <l2s/acquisition/concepts.hpp>
#include <l2s/acquisition/constrained.hpp>
#include <l2s/acquisition/kriging_believer.hpp>
#include <l2s/acquisition/score.hpp>
#include <l2s/bo/design.hpp>
#include <l2s/bo/observers.hpp>
#include <l2s/bo/optimizer_state.hpp>
#include <l2s/bo/run.hpp>
#include <l2s/core/checks.hpp>
#include <l2s/core/concepts.hpp>
#include <l2s/core/error.hpp>
#include <l2s/core/observer.hpp>
#include <l2s/gp/concepts.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/space/concepts.hpp>

namespace l2s::bo {

namespace detail {
template <class M> concept has_params = requires(const M& cm, M& m, const vec& t) {
    { cm.params() } -> std::convertible_to<vec>;
    m.set_params(t);
};
template <class M, class Rng> concept learns_hyperparameters = requires(M& m, Rng& rng) { m.learn_hyperparameters(rng); };
template <class S> concept unit_normalisable = requires(const S& s, const vec& x) {
    { s.to_unit(x) } -> std::convertible_to<vec>;
};
template <class O, class F, class S, class Rng> concept takes_starts = requires(const O& o, F& f, const S& s, Rng& rng, const mat& st) {
    { o.maximize(f, s, rng, st) } -> std::convertible_to<opt::maximize_result>;
};
template <class A, class M> concept constrained_scoring = requires(const A& a, const M& m, std::span<const M> c, const mat& X,
                                                                   const acquisition::context& ctx) {
    { a(m, c, X, ctx) } -> std::convertible_to<vec>;
};
}  // namespace detail

/// Ask/tell Bayesian optimisation: an initial design, then points maximising the acquisition on the surrogate
/// of the utility (−cost under sense::minimize). Costs are minimised by default; acquisitions are maximised.
/// `ask` returns the next point (it stays *pending*, as a fantasy observation at the posterior mean, until told);
/// `ask_batch(q)` returns q points by kriging believer; `tell` adds observations and rejects bad input with a
/// typed error, leaving the optimizer unchanged. Hyperparameters are relearnt every `relearn_every` evaluations
/// (from the first full design on), after which the model is refit from scratch.  @see docs/bo.md#optimizer
template <class S, class M, class A, class O>
class optimizer {
    static_assert(SearchSpace<S>, "l2s::bo::optimizer<S, M, A, O>: S must model l2s::SearchSpace (see docs/concepts.md#searchspace)");
    static_assert(Surrogate<M>, "l2s::bo::optimizer<S, M, A, O>: M must model l2s::Surrogate (see docs/concepts.md#surrogate)");
    static_assert(PointwiseAcquisition<A> || ModelAcquisitionFor<A, M> || detail::constrained_scoring<A, M>,
                  "l2s::bo::optimizer<S, M, A, O>: A must model l2s::PointwiseAcquisition or l2s::ModelAcquisitionFor<A, M> "
                  "(see docs/acquisition.md#pointwiseacquisition)");
    static_assert(AcquisitionOptimizerFor<O, S>,
                  "l2s::bo::optimizer<S, M, A, O>: O must model l2s::AcquisitionOptimizerFor<O, S> (see docs/bo.md#acquisitionoptimizerfor)");

public:
    using config = optimizer_config;
    using space_type = S;
    using model_type = M;
    using acquisition_type = A;
    using inner_type = O;

    /// The model must hold no data (its current hyperparameters are the starting point).
    optimizer(S space, M model, A acquisition = {}, O inner = {}, config cfg = {})
        : space_(std::move(space)), prototype_(std::move(model)), acq_(std::move(acquisition)), inner_(std::move(inner)),
          cfg_(std::move(cfg)), model_(prototype_) {
        cfg_.validate();
        if (prototype_.size() != 0) throw invalid_argument("l2s::bo::optimizer: the model must be empty");
        constraint_models_.assign(cfg_.num_constraints, prototype_);
        clear_data();
    }

    // ---- queries ----
    [[nodiscard]] const config& cfg() const noexcept { return cfg_; }
    [[nodiscard]] const S& space() const noexcept { return space_; }
    [[nodiscard]] const M& model() const noexcept { return model_; }
    [[nodiscard]] const std::vector<M>& constraint_models() const noexcept { return constraint_models_; }
    [[nodiscard]] const A& acquisition() const noexcept { return acq_; }
    [[nodiscard]] const O& inner() const noexcept { return inner_; }
    [[nodiscard]] std::size_t dim() const noexcept { return space_.dim(); }
    [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(y_.size()); }
    [[nodiscard]] const mat& observed_x() const noexcept { return X_; }
    [[nodiscard]] const vec& observed_y() const noexcept { return y_; }
    [[nodiscard]] const mat& observed_constraints() const noexcept { return G_; }
    [[nodiscard]] const mat& pending() const noexcept { return pending_; }
    /// Index of the best feasible observation (raw value, in the configured sense), or −1 if none is feasible.
    [[nodiscard]] Eigen::Index best_index() const {
        Eigen::Index best = -1;
        for (Eigen::Index j = 0; j < y_.size(); ++j)
            if (feasible(j) && (best < 0 || utility(y_(j)) > utility(y_(best)))) best = j;
        return best;
    }
    [[nodiscard]] bool has_feasible() const { return best_index() >= 0; }
    /// Best feasible point; throws not_ready when there is none.
    [[nodiscard]] vec best_x() const { return X_.col(require_best("best_x")); }
    /// Best feasible value (raw units); throws not_ready when there is none.
    [[nodiscard]] double best_value() const { return y_(require_best("best_value")); }

    /// Whether the next ask() returns an initial-design point.
    [[nodiscard]] bool in_design_phase() const {
        return design_next_ < cfg_.initial_points &&
               static_cast<std::size_t>(y_.size() + pending_.cols()) < cfg_.initial_points;
    }
    /// The serialisable state.
    [[nodiscard]] optimizer_state state() const {
        optimizer_state s{cfg_, X_, y_, G_, pending_, design_, design_next_, learned_at_, vec(), {}};
        if constexpr (detail::has_params<M>) {
            s.theta = model_.params();
            for (const auto& c : constraint_models_) s.constraint_theta.push_back(c.params());
        }
        return s;
    }

    // ---- ask ----

    /// The next point to evaluate (it becomes pending). Initial-design points first, then the acquisition's
    /// maximiser on the model with pending points as fantasies.
    template <class Rng>
    [[nodiscard]] vec ask(Rng& rng) {
        const mat b = ask_batch(1, rng);
        return b.col(0);
    }

    /// q points to evaluate (all become pending): design points while the design lasts, then kriging-believer
    /// picks (each earlier pick added as a fantasy at the posterior mean).
    template <class Rng>
    [[nodiscard]] mat ask_batch(std::size_t q, Rng& rng) {
        if (q == 0) throw invalid_argument("l2s::bo::optimizer::ask_batch: q must be >= 1");
        const auto d = static_cast<Eigen::Index>(dim());
        mat out(d, static_cast<Eigen::Index>(q));
        std::size_t k = 0;
        for (; k < q && in_design_phase(); ++k) {
            if (design_.cols() == 0) design_ = make_design(cfg_.initial_design, space_, cfg_.initial_points, rng);
            vec x = design_.col(static_cast<Eigen::Index>(design_next_++));
            if (is_duplicate(x)) x = fresh_sample(x, rng);
            add_pending(x);
            out.col(static_cast<Eigen::Index>(k)) = x;
        }
        if (k == q) return out;
        relearn_if_due(rng);
        const acquisition::kriging_believer believer{.q = q - k};
        out.rightCols(static_cast<Eigen::Index>(q - k)) = believer.select(
            with_pending_fantasies(),
            [&](const fantasy_models& f) {
                vec x = pick(f.model, f.constraints, rng);
                add_pending(x);  // later picks avoid it as a duplicate
                return x;
            },
            [this](fantasy_models& f, const vec& x) { fantasise(f, x); });
        return out;
    }

    /// The acquisition's scores at the columns of X (space coordinates) on the current model and pending
    /// fantasies (for inspection and benchmarks).
    template <class Rng>
    [[nodiscard]] vec score(const mat& X, Rng& rng) const {
        const fantasy_models f = with_pending_fantasies();
        return score_on(f.model, f.constraints, X, context_for(f.model), rng);
    }

    // ---- tell ----

    /// Adds one observation (and its constraint values, g ≤ 0 feasible). Throws dimension_mismatch,
    /// non_finite_observation or invalid_argument (x outside the space), leaving the optimizer unchanged.
    void tell(const vec& x, double y, const vec& constraints = vec()) {
        validate_observation("l2s::bo::optimizer::tell", x, y, constraints);
        commit(x, y, constraints);
    }
    /// Adds observations (columns of X, entries of y, columns of G); all are validated before any is added.
    void tell(const mat& X, const vec& y, const mat& G = mat()) {
        constexpr const char* who = "l2s::bo::optimizer::tell";
        require_size(who, "y", y.size(), X.cols());
        if (cfg_.num_constraints > 0) {
            require_size(who, "constraint rows", G.rows(), static_cast<Eigen::Index>(cfg_.num_constraints));
            require_size(who, "constraint columns", G.cols(), X.cols());
        }
        for (Eigen::Index j = 0; j < X.cols(); ++j)
            validate_observation(who, X.col(j), y(j), cfg_.num_constraints > 0 ? vec(G.col(j)) : vec());
        for (Eigen::Index j = 0; j < X.cols(); ++j) commit(X.col(j), y(j), cfg_.num_constraints > 0 ? vec(G.col(j)) : vec());
    }

    /// Replaces the whole state (validated first: invalid_argument / dimension_mismatch / non_finite_observation,
    /// object unchanged). The models are rebuilt exactly as the original built them, so the restored optimizer
    /// makes the same suggestions as the original for the same RNG.
    void restore(const optimizer_state& s) {
        constexpr const char* who = "l2s::bo::optimizer::restore";
        s.config.validate();
        const auto d = static_cast<Eigen::Index>(dim());
        const Eigen::Index n = s.y.size();
        if (s.X.cols() > 0 || n > 0) require_size(who, "X rows", s.X.rows(), d);
        require_size(who, "X columns", s.X.cols(), n);
        require_size(who, "constraint rows", s.constraints.rows(), static_cast<Eigen::Index>(s.config.num_constraints));
        if (s.config.num_constraints > 0) require_size(who, "constraint columns", s.constraints.cols(), n);
        if (s.pending.cols() > 0) require_size(who, "pending rows", s.pending.rows(), d);
        if (s.design.cols() > 0) require_size(who, "design rows", s.design.rows(), d);
        if (s.design_next > static_cast<std::size_t>(s.design.cols()))
            throw invalid_argument(std::string(who) + ": design_next exceeds the design size");
        if (s.learned_at > static_cast<std::size_t>(n)) throw invalid_argument(std::string(who) + ": learned_at exceeds n");
        require_finite(who, "X", s.X);
        require_finite(who, "y", s.y);
        require_finite(who, "constraints", s.constraints);
        require_finite(who, "pending", s.pending);
        require_finite(who, "design", s.design);
        M model = prototype_;
        std::vector<M> cmodels(s.config.num_constraints, prototype_);
        if constexpr (detail::has_params<M>) {
            if (s.theta.size() > 0) model.set_params(s.theta);
            if (!s.constraint_theta.empty()) {
                require_size(who, "constraint_theta", static_cast<Eigen::Index>(s.constraint_theta.size()),
                             static_cast<Eigen::Index>(s.config.num_constraints));
                for (std::size_t c = 0; c < cmodels.size(); ++c) cmodels[c].set_params(s.constraint_theta[c]);
            }
        }
        optimizer next = *this;
        next.cfg_ = s.config;
        next.X_ = s.X;
        next.y_ = s.y;
        next.G_ = s.constraints;
        next.pending_ = s.pending.cols() > 0 ? s.pending : mat(d, 0);
        next.design_ = s.design.cols() > 0 ? s.design : mat(d, 0);
        next.design_next_ = s.design_next;
        next.learned_at_ = s.learned_at;
        next.model_ = std::move(model);
        next.constraint_models_ = std::move(cmodels);
        next.rebuild_models();
        *this = std::move(next);
    }

    /// Drops every observation, pending point and the design (hyperparameters are kept).
    void clear_data() {
        const auto d = static_cast<Eigen::Index>(dim());
        X_.resize(d, 0);
        y_.resize(0);
        G_.resize(static_cast<Eigen::Index>(cfg_.num_constraints), 0);
        pending_.resize(d, 0);
        design_.resize(d, 0);
        design_next_ = 0;
        learned_at_ = 0;
        model_ = prototype_;
        constraint_models_.assign(cfg_.num_constraints, prototype_);
    }

    // ---- run ----

    /// Evaluates `objective(x)` up to budget times (ask, evaluate, tell, observers, early stops): forwards to
    /// bo::run(*this, objective, budget, rng, obs...) (l2s/bo/run.hpp).
    template <class F, class Rng, class... Obs>
    run_result run(F&& objective, std::size_t budget, Rng& rng, Obs&... obs) {
        return bo::run(*this, std::forward<F>(objective), budget, rng, obs...);
    }

private:
    [[nodiscard]] double utility(double y) const noexcept { return cfg_.goal == sense::minimize ? -y : y; }
    [[nodiscard]] bool feasible(Eigen::Index j) const { return G_.rows() == 0 || (G_.col(j).array() <= 0.0).all(); }
    [[nodiscard]] Eigen::Index require_best(const char* what) const {
        const Eigen::Index b = best_index();
        if (b < 0) throw not_ready(std::string("l2s::bo::optimizer::") + what + ": no feasible observation yet");
        return b;
    }
    [[nodiscard]] vec to_model(const vec& x) const {
        if constexpr (detail::unit_normalisable<S>) {
            if (cfg_.normalise_inputs) return space_.to_unit(x);
        }
        return x;
    }
    [[nodiscard]] mat to_model(const mat& X) const {
        if constexpr (detail::unit_normalisable<S>) {
            if (cfg_.normalise_inputs) {  // to_unit may change the dimension (a feature map)
                if (X.cols() == 0) return X;
                vec u0 = space_.to_unit(X.col(0));
                mat U(u0.size(), X.cols());
                U.col(0) = u0;
                for (Eigen::Index j = 1; j < X.cols(); ++j) U.col(j) = space_.to_unit(X.col(j));
                return U;
            }
        }
        return X;
    }
    [[nodiscard]] bool is_duplicate(const vec& x) const {
        if constexpr (FiniteSpace<S>) {
            if (!cfg_.avoid_duplicates) return false;
            for (Eigen::Index j = 0; j < X_.cols(); ++j)
                if (X_.col(j) == x) return true;
            for (Eigen::Index j = 0; j < pending_.cols(); ++j)
                if (pending_.col(j) == x) return true;
        }
        (void)x;
        return false;
    }
    template <class Rng>
    [[nodiscard]] vec fresh_sample(const vec& x, Rng& rng) const {
        if constexpr (FiniteSpace<S>) {
            if (static_cast<std::uint64_t>(X_.cols() + pending_.cols()) >= static_cast<std::uint64_t>(space_.size())) return x;
            for (int attempt = 0; attempt < 1000; ++attempt) {
                vec y = space_.sample(rng);
                if (!is_duplicate(y)) return y;
            }
        }
        (void)rng;
        return x;
    }
    void add_pending(const vec& x) {
        pending_.conservativeResize(pending_.rows(), pending_.cols() + 1);
        pending_.col(pending_.cols() - 1) = x;
    }
    /// Copies of the objective and constraint models that kriging believer extends with fantasies.
    struct fantasy_models {
        M model;
        std::vector<M> constraints;
    };
    /// Adds the fantasy observation y = μ(x) at x to every model that holds data.
    void fantasise(fantasy_models& f, const vec& x) const {
        const vec u = to_model(x);
        if (f.model.size() > 0) f.model.add(u, f.model.predict(u).mean);
        for (auto& c : f.constraints)
            if (c.size() > 0) c.add(u, c.predict(u).mean);
    }
    /// The current models with every pending point added as a fantasy.
    [[nodiscard]] fantasy_models with_pending_fantasies() const {
        fantasy_models f{model_, constraint_models_};
        for (Eigen::Index p = 0; p < pending_.cols(); ++p) fantasise(f, pending_.col(p));
        return f;
    }
    [[nodiscard]] acquisition::context context_for(const M& model) const {
        acquisition::context c;
        c.iteration = static_cast<std::size_t>(y_.size() + pending_.cols()) + 1;
        c.dim = dim();
        if constexpr (FiniteSpace<S>) c.num_candidates = static_cast<std::uint64_t>(space_.size());
        if (cfg_.noisy_objective && model.size() > 0 && y_.size() > 0) {
            const vec mu = model.predict(to_model(X_)).mean;
            c.incumbent = acquisition::feasible_incumbent(mu.head(y_.size()), G_);
        } else {
            c.incumbent = acquisition::feasible_incumbent(utilities(), G_);
        }
        return c;
    }
    template <class Rng>
    [[nodiscard]] vec score_on(const M& model, const std::vector<M>& cmodels, const mat& X, const acquisition::context& c,
                               Rng& rng) const {
        const mat U = to_model(X);
        if constexpr (detail::constrained_scoring<A, M>) {
            return acq_(model, std::span<const M>(cmodels), U, c);
        } else if constexpr (PointwiseAcquisition<A>) {
            if (!cmodels.empty()) return acquisition::constrained<A>{acq_}(model, std::span<const M>(cmodels), U, c);
            return acquisition::score(acq_, model, U, c, rng);
        } else {
            if (!cmodels.empty())
                throw invalid_config("l2s::bo::optimizer: num_constraints > 0 needs a pointwise or constrained acquisition");
            return acquisition::score(acq_, model, U, c, rng);
        }
    }
    template <class Rng>
    [[nodiscard]] vec pick(const M& model, const std::vector<M>& cmodels, Rng& rng) {
        const acquisition::context c = context_for(model);
        auto f = [&](const mat& X) { return score_on(model, cmodels, X, c, rng); };
        opt::maximize_result r;
        const Eigen::Index b = best_index();
        if constexpr (detail::takes_starts<O, decltype(f), S, Rng>) {
            r = b >= 0 ? inner_.maximize(f, space_, rng, mat(X_.col(b))) : inner_.maximize(f, space_, rng, mat());
        } else {
            r = inner_.maximize(f, space_, rng);
        }
        vec x = space_.project(r.x);
        if (is_duplicate(x)) x = fresh_sample(x, rng);
        return x;
    }
    template <class Rng>
    void relearn_if_due(Rng& rng) {
        if constexpr (detail::learns_hyperparameters<M, Rng>) {
            const auto n = static_cast<std::size_t>(y_.size());
            if (cfg_.relearn_every == 0 || n < std::max<std::size_t>(cfg_.initial_points, 2)) return;
            if (learned_at_ != 0 && n - learned_at_ < cfg_.relearn_every) return;
            M model = model_;
            std::vector<M> cmodels = constraint_models_;
            model.learn_hyperparameters(rng);
            for (auto& c : cmodels) c.learn_hyperparameters(rng);
            const mat U = to_model(X_);
            model.fit(U, utilities());
            for (std::size_t c = 0; c < cmodels.size(); ++c) cmodels[c].fit(U, vec(G_.row(static_cast<Eigen::Index>(c)).transpose()));
            model_ = std::move(model);
            constraint_models_ = std::move(cmodels);
            learned_at_ = n;
        } else {
            (void)rng;
        }
    }
    [[nodiscard]] vec utilities() const {
        vec u(y_.size());
        for (Eigen::Index j = 0; j < y_.size(); ++j) u(j) = utility(y_(j));
        return u;
    }
    void validate_observation(const char* who, const vec& x, double y, const vec& g) const {
        require_size(who, "x", x.size(), static_cast<Eigen::Index>(dim()));
        require_finite(who, "x", x);
        require_finite(who, "y", y);
        require_size(who, "constraints", g.size(), static_cast<Eigen::Index>(cfg_.num_constraints));
        require_finite(who, "constraints", g);
        if (!space_.contains(x)) throw invalid_argument(std::string(who) + ": x is not a point of the search space");
    }
    /// Adds a validated observation; if a model update fails the models are rebuilt from the stored data
    /// and the error is rethrown (the optimizer is then as before the call).
    void commit(const vec& x, double y, const vec& g) {
        const vec u = to_model(x);
        try {
            model_.add(u, utility(y));
            for (std::size_t c = 0; c < constraint_models_.size(); ++c) constraint_models_[c].add(u, g(static_cast<Eigen::Index>(c)));
        } catch (...) {
            rebuild_models();
            throw;
        }
        X_.conservativeResize(X_.rows(), X_.cols() + 1);
        X_.col(X_.cols() - 1) = x;
        y_.conservativeResize(y_.size() + 1);
        y_(y_.size() - 1) = y;
        G_.conservativeResize(G_.rows(), G_.cols() + 1);
        if (G_.rows() > 0) G_.col(G_.cols() - 1) = g;
        for (Eigen::Index j = 0; j < pending_.cols(); ++j)
            if (pending_.col(j) == x) {
                const Eigen::Index tail = pending_.cols() - j - 1;
                if (tail > 0) pending_.middleCols(j, tail) = mat(pending_.rightCols(tail));
                pending_.conservativeResize(pending_.rows(), pending_.cols() - 1);
                break;
            }
    }
    /// Rebuilds the models from the stored data exactly as they were built: a fit of the first learned_at
    /// points (the last relearning), then one add per later point.
    void rebuild_models() {
        M model = prototype_;
        std::vector<M> cmodels(constraint_models_.size(), prototype_);
        if constexpr (detail::has_params<M>) {
            model.set_params(model_.params());
            for (std::size_t c = 0; c < cmodels.size(); ++c) cmodels[c].set_params(constraint_models_[c].params());
        }
        const auto n0 = static_cast<Eigen::Index>(learned_at_);
        const mat U = to_model(X_);
        const vec u = utilities();
        if (n0 > 0) {
            model.fit(U.leftCols(n0), u.head(n0));
            for (std::size_t c = 0; c < cmodels.size(); ++c)
                cmodels[c].fit(U.leftCols(n0), vec(G_.row(static_cast<Eigen::Index>(c)).head(n0).transpose()));
        }
        for (Eigen::Index j = n0; j < U.cols(); ++j) {
            model.add(U.col(j), u(j));
            for (std::size_t c = 0; c < cmodels.size(); ++c) cmodels[c].add(U.col(j), G_(static_cast<Eigen::Index>(c), j));
        }
        model_ = std::move(model);
        constraint_models_ = std::move(cmodels);
    }

    S space_;
    M prototype_;
    A acq_;
    O inner_;
    config cfg_;
    M model_;
    std::vector<M> constraint_models_;
    mat X_, G_, pending_, design_;
    vec y_;
    std::size_t design_next_ = 0;
    std::size_t learned_at_ = 0;
};

}  // namespace l2s::bo
