// SPDX-License-Identifier: MIT
// l2s/config.hpp: precondition assertions (L2S_ASSERT) and build switches.
#pragma once
#include <l2s/core/error.hpp>

/// L2S_ENABLE_ASSERTS: defined (to anything but 0) to check preconditions with L2S_ASSERT.
/// On by default when NDEBUG is not defined; the test suite always turns it on.
#if !defined(L2S_ENABLE_ASSERTS) && !defined(NDEBUG)
#define L2S_ENABLE_ASSERTS 1
#endif

#if defined(L2S_ENABLE_ASSERTS) && (L2S_ENABLE_ASSERTS + 0) != 0
/// Checks a precondition; throws l2s::precondition_error(msg) when it fails. Compiled out otherwise.
/// Inside a noexcept function a failed assertion terminates the program, as a contract violation should.
#define L2S_ASSERT(cond, msg)                                                   \
    do {                                                                        \
        if (!(cond)) ::l2s::detail::assertion_failed(#cond, (msg));             \
    } while (false)
#else
#define L2S_ASSERT(cond, msg) ((void)0)
#endif
