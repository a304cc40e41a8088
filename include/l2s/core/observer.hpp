// SPDX-License-Identifier: MIT
// l2s/core/observer.hpp: numerical events, run control and observer notification.
//
// Observers are plain objects with any subset of hooks (on_start, on_evaluation, on_iteration,
// on_numerical_event, on_interval, on_finish). A hook is called only if the observer has it; a hook
// returning l2s::control::stop ends the run that called it.
#pragma once
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace l2s {

/// What an observer hook may ask of the run that called it.
enum class control : std::uint8_t { proceed, stop };

/// Kinds of recovered numerical trouble.
enum class numerical_event_kind : std::uint8_t {
    jitter_added,       ///< a factorisation needed diagonal jitter (value = jitter added)
    variance_clamped,   ///< a negative predictive variance was set to zero (value = the most negative one)
    refactored,         ///< an incremental factor update failed and the factor was recomputed
    restart_failed,     ///< one restart of an optimiser failed (value unused)
    model_reset,        ///< a runtime model was reset after losing conditioning (value = its measure)
    clamped_input,      ///< an out-of-range input was clamped (value = how many)
};

/// A numerical difficulty that the library recovered from; passed to observers' on_numerical_event.
struct numerical_event {
    const char* component = "";  ///< qualified name, e.g. "l2s::gp::exact_gp::fit"
    numerical_event_kind kind = numerical_event_kind::jitter_added;
    double value = 0.0;
    std::string message;
};

[[nodiscard]] inline const char* to_string(numerical_event_kind k) noexcept {
    switch (k) {
        case numerical_event_kind::jitter_added: return "jitter_added";
        case numerical_event_kind::variance_clamped: return "variance_clamped";
        case numerical_event_kind::refactored: return "refactored";
        case numerical_event_kind::restart_failed: return "restart_failed";
        case numerical_event_kind::model_reset: return "model_reset";
        case numerical_event_kind::clamped_input: return "clamped_input";
    }
    return "unknown";
}

namespace detail {
template <class R>
[[nodiscard]] constexpr bool wants_stop(const R& r) noexcept {
    if constexpr (std::is_same_v<R, control>) return r == control::stop;
    else return false;
}
}  // namespace detail

/// Calls `o.on_numerical_event(e)` on each observer that has the hook.
template <class... Obs>
void notify(const numerical_event& e, Obs&... obs) {
    [[maybe_unused]] auto one = [&e](auto& o) {
        if constexpr (requires { o.on_numerical_event(e); }) o.on_numerical_event(e);
    };
    (one(obs), ...);
}

/// Calls the hook named by `call` on every observer that has it; returns control::stop if any asked to stop.
/// `call(o)` must be a generic lambda whose body is `if constexpr (requires {...}) return o.hook(...);`.
template <class F, class... Obs>
[[nodiscard]] control notify_each(F&& call, Obs&... obs) {
    bool stop = false;
    [[maybe_unused]] auto one = [&](auto& o) {
        using R = decltype(call(o));
        if constexpr (std::is_void_v<R>) {
            call(o);
        } else {
            stop = detail::wants_stop(call(o)) || stop;
        }
    };
    (one(obs), ...);
    return stop ? control::stop : control::proceed;
}

/// A sink observer that keeps the last numerical events (for a component's "last report").
struct event_log {
    std::vector<numerical_event> events;
    void on_numerical_event(const numerical_event& e) { events.push_back(e); }
};

}  // namespace l2s
