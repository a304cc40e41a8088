// tests/support/malloc_counter.hpp: counts calls to malloc, calloc and realloc of at least a given size.
// Eigen allocates through std::malloc, which a replaced operator new (alloc_counter.hpp) does not see.
// Include in exactly one translation unit of a test executable: it interposes the three functions and
// forwards to glibc's __libc_malloc / __libc_calloc / __libc_realloc (glibc only). Under AddressSanitizer or
// ThreadSanitizer, which interpose malloc themselves, nothing is interposed and malloc_counting is false.
#pragma once
#include <atomic>
#include <cstddef>

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define L2S_TEST_MALLOC_COUNTING 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define L2S_TEST_MALLOC_COUNTING 0
#endif
#endif
#ifndef L2S_TEST_MALLOC_COUNTING
#define L2S_TEST_MALLOC_COUNTING 1
#endif

namespace l2s::test {
/// Whether malloc is counted (false under sanitizers that interpose it).
inline constexpr bool malloc_counting = L2S_TEST_MALLOC_COUNTING != 0;
/// Allocations of at least `malloc_threshold` bytes since the program started.
inline std::atomic<long long> large_malloc_count{0};
inline std::atomic<std::size_t> malloc_threshold{static_cast<std::size_t>(-1)};
inline long long large_mallocs() noexcept { return large_malloc_count.load(std::memory_order_relaxed); }
inline void count_malloc(std::size_t bytes) noexcept {
    if (bytes >= malloc_threshold.load(std::memory_order_relaxed))
        large_malloc_count.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace l2s::test

#if L2S_TEST_MALLOC_COUNTING
extern "C" {
void* malloc(std::size_t n) {
    l2s::test::count_malloc(n);
    return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
    l2s::test::count_malloc(n * size);
    return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
    l2s::test::count_malloc(n);
    return __libc_realloc(p, n);
}
}
#endif
