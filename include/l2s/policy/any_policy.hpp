// SPDX-License-Identifier: MIT
// l2s/policy/any_policy.hpp: a type-erased probabilistic policy (runtime choice, e.g. from a JSON file).
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include <l2s/core/error.hpp>
#include <l2s/dvfs/observation.hpp>

namespace l2s::policy {

/// Holds any policy P with act(const dvfs::observation&, dvfs::action&), probabilities(obs, span) const,
/// num_islands(), max_levels(); copyable (deep copy). One virtual call per decision: meant for tools and
/// runtime selection, not for inner loops.  @see docs/policy.md#any_policy
class any_policy {
public:
    any_policy() = default;
    template <class P>
        requires(!std::is_same_v<std::remove_cvref_t<P>, any_policy>)
    any_policy(P&& p) : self_(std::make_unique<model<std::remove_cvref_t<P>>>(std::forward<P>(p))) {}  // NOLINT
    any_policy(const any_policy& o) : self_(o.self_ ? o.self_->clone() : nullptr) {}
    any_policy(any_policy&&) noexcept = default;
    any_policy& operator=(const any_policy& o) {
        if (this != &o) self_ = o.self_ ? o.self_->clone() : nullptr;
        return *this;
    }
    any_policy& operator=(any_policy&&) noexcept = default;
    ~any_policy() = default;

    [[nodiscard]] bool has_value() const noexcept { return self_ != nullptr; }
    /// The wrapped policy's kind string ("softmax_linear", "mlp", ...).
    [[nodiscard]] std::string kind() const { return self_ ? self_->kind() : std::string("empty"); }
    [[nodiscard]] std::size_t num_islands() const noexcept { return self_ ? self_->num_islands() : 0; }
    [[nodiscard]] std::size_t max_levels() const noexcept { return self_ ? self_->max_levels() : 0; }
    /// The wrapped object if it is a P, else nullptr.
    template <class P>
    [[nodiscard]] const P* target() const noexcept {
        auto* m = dynamic_cast<const model<P>*>(self_.get());
        return m ? &m->p : nullptr;
    }

    void reset() noexcept {
        if (self_) self_->reset();
    }
    /// Empty any_policy: leaves a unchanged.
    void act(const dvfs::observation& o, dvfs::action& a) noexcept {
        if (self_) self_->act(o, a);
    }
    void probabilities(const dvfs::observation& o, std::span<double> out) const noexcept {
        if (self_) self_->probabilities(o, out);
    }

private:
    struct concept_t {
        virtual ~concept_t() = default;
        [[nodiscard]] virtual std::unique_ptr<concept_t> clone() const = 0;
        [[nodiscard]] virtual std::string kind() const = 0;
        [[nodiscard]] virtual std::size_t num_islands() const noexcept = 0;
        [[nodiscard]] virtual std::size_t max_levels() const noexcept = 0;
        virtual void reset() noexcept = 0;
        virtual void act(const dvfs::observation&, dvfs::action&) noexcept = 0;
        virtual void probabilities(const dvfs::observation&, std::span<double>) const noexcept = 0;
    };
    template <class P>
    struct model final : concept_t {
        P p;
        explicit model(P x) : p(std::move(x)) {}
        [[nodiscard]] std::unique_ptr<concept_t> clone() const override { return std::make_unique<model>(p); }
        [[nodiscard]] std::string kind() const override {
            if constexpr (requires { P::kind; }) return P::kind;
            else return "custom";
        }
        [[nodiscard]] std::size_t num_islands() const noexcept override { return p.num_islands(); }
        [[nodiscard]] std::size_t max_levels() const noexcept override { return p.max_levels(); }
        void reset() noexcept override {
            if constexpr (requires { p.reset(); }) p.reset();
        }
        void act(const dvfs::observation& o, dvfs::action& a) noexcept override { p.act(o, a); }
        void probabilities(const dvfs::observation& o, std::span<double> out) const noexcept override {
            p.probabilities(o, out);
        }
    };
    std::unique_ptr<concept_t> self_;
};

}  // namespace l2s::policy
