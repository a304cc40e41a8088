// tests/support/alloc_counter.hpp: counts calls to the global allocation functions.
// Include in exactly one translation unit of a test executable (it replaces operator new).
#pragma once
#include <atomic>
#include <cstdlib>
#include <new>

// The replacements below pair malloc with free, which is correct; GCC 12 still flags inlined
// new/free pairs with -Wmismatched-new-delete, so the warning is silenced for the including file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace l2s::test {
inline std::atomic<long long> allocation_count{0};
/// Number of global operator new calls since the program started.
inline long long allocations() noexcept { return allocation_count.load(std::memory_order_relaxed); }
}  // namespace l2s::test

void* operator new(std::size_t n) {
    l2s::test::allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    l2s::test::allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
