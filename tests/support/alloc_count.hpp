// tests/support/alloc_count.hpp: the allocation counter that alloc_counter.hpp's operator new increments.
#pragma once
#include <atomic>

namespace l2s::test {
inline std::atomic<long long> allocation_count{0};
/// Number of global operator new calls since the program started (counted only in executables where one
/// translation unit includes alloc_counter.hpp).
inline long long allocations() noexcept { return allocation_count.load(std::memory_order_relaxed); }
}  // namespace l2s::test
