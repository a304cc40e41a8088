// SPDX-License-Identifier: MIT
// l2s/host/stop_signals.hpp: SIGINT and SIGTERM turned into a stop request the governor loop polls.
#pragma once
#include <atomic>
#include <csignal>

#include <l2s/core/observer.hpp>

namespace l2s::host {

namespace detail {
/// The one flag a signal handler may set: signal handlers are process-wide, so this is the library's only
/// static state, and only stop_signals touches it.
inline volatile std::sig_atomic_t stop_flag = 0;
extern "C" inline void on_stop_signal(int) { stop_flag = 1; }
}  // namespace detail

/// While alive, SIGINT and SIGTERM set a flag instead of killing the process; the previous handlers come back
/// when it is destroyed. As a governor-loop observer it returns control::stop at the end of the interval in
/// which a signal arrived, so the loop returns normally and RAII (cpufreq_session) restores the governor.
/// One at a time per process.  @see docs/host.md#signals
class stop_signals {
public:
    stop_signals() {
        detail::stop_flag = 0;
        prev_int_ = std::signal(SIGINT, detail::on_stop_signal);
        prev_term_ = std::signal(SIGTERM, detail::on_stop_signal);
    }
    stop_signals(const stop_signals&) = delete;
    stop_signals& operator=(const stop_signals&) = delete;
    ~stop_signals() {
        std::signal(SIGINT, prev_int_ == SIG_ERR ? SIG_DFL : prev_int_);
        std::signal(SIGTERM, prev_term_ == SIG_ERR ? SIG_DFL : prev_term_);
    }

    [[nodiscard]] bool requested() const noexcept { return detail::stop_flag != 0; }
    template <class... A>
    [[nodiscard]] control on_interval(const A&...) const noexcept {
        return requested() ? control::stop : control::proceed;
    }

private:
    using handler = void (*)(int);
    handler prev_int_ = SIG_DFL, prev_term_ = SIG_DFL;
};

}  // namespace l2s::host
