// tests/support/alloc_counter.hpp: counts calls to the global allocation functions.
// Include in exactly one translation unit of a test executable (it replaces operator new); other
// translation units of the same executable read the count through alloc_count.hpp.
#pragma once
#include <cstdlib>
#include <new>

#include "alloc_count.hpp"

// The replacements below pair malloc with free, which is correct; GCC 12 still flags inlined
// new/free pairs with -Wmismatched-new-delete, so the warning is silenced for the including file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

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
