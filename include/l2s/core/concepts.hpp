// SPDX-License-Identifier: MIT
// l2s/core/concepts.hpp: the Observer concept.
#pragma once
#include <l2s/core/observer.hpp>

namespace l2s {

namespace detail {
template <class O> concept has_on_start = requires(O& o) { o.on_start(); };
template <class O> concept has_on_finish = requires(O& o) { o.on_finish(); };
template <class O> concept has_on_numerical_event = requires(O& o, const numerical_event& e) { o.on_numerical_event(e); };
template <class O> concept has_on_evaluation = requires(O& o) { &O::on_evaluation; };
template <class O> concept has_on_iteration = requires(O& o) { &O::on_iteration; };
template <class O> concept has_on_interval = requires(O& o) { &O::on_interval; };
}  // namespace detail

/// An observer has at least one of the hooks on_start, on_finish, on_evaluation, on_iteration,
/// on_numerical_event or on_interval. Each hook is optional; on_iteration may return l2s::control.
/// @see docs/concepts.md#observer
template <class O>
concept Observer = detail::has_on_start<O> || detail::has_on_finish<O> || detail::has_on_numerical_event<O> ||
                   detail::has_on_evaluation<O> || detail::has_on_iteration<O> || detail::has_on_interval<O>;

static_assert(Observer<event_log>);

}  // namespace l2s
