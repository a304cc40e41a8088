// SPDX-License-Identifier: MIT
// l2s/core/error.hpp: the l2s::error exception family.
//
// Every runtime failure of the library is an l2s::error; its message starts with the qualified
// name of the component that raised it ("l2s::gp::exact_gp::fit: ..."). An operation that throws
// leaves its object as it was before the call (strong guarantee) unless its documentation says otherwise.
#pragma once
#include <stdexcept>
#include <string>

namespace l2s {

/// Base of every exception the library throws.  @see docs/conventions.md#errors
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A configuration field is out of its documented range (names the field).
class invalid_config : public error {
public:
    using error::error;
};

/// An argument has a value outside the function's domain (other than a size or a non-finite number).
class invalid_argument : public error {
public:
    using error::error;
};

/// Sizes of arguments do not agree (wrong input dimension, wrong number of parameters, ...).
class dimension_mismatch : public error {
public:
    using error::error;
};

/// A NaN or infinite value was passed where a finite one is required.
class non_finite_observation : public error {
public:
    using error::error;
};

/// A numerical procedure failed after every recovery step (e.g. the jitter ladder was exhausted).
class numerical_error : public error {
public:
    using error::error;
};

/// The object is not in a state that allows the call (e.g. predicting from a model with no data).
class not_ready : public error {
public:
    using error::error;
};

/// Reading or writing a file or a serialised document failed (malformed, truncated, wrong version).
class io_error : public error {
public:
    using error::error;
};

/// A precondition checked by L2S_ASSERT failed (only when L2S_ENABLE_ASSERTS is on).
class precondition_error : public error {
public:
    using error::error;
};

namespace detail {
[[noreturn]] inline void assertion_failed(const char* condition, const std::string& message) {
    throw precondition_error(message + " [failed: " + condition + "]");
}
}  // namespace detail

}  // namespace l2s
