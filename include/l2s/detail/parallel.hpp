// SPDX-License-Identifier: MIT
// l2s/detail/parallel.hpp: run the blocks of a contiguous index range on threads, block 0 on the caller.
#pragma once
#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace l2s::detail {

/// Number of blocks for `count` items over `threads` threads (0: one per hardware thread), with at least
/// `min_per_block` items per block and at least one block.
[[nodiscard]] inline std::size_t parallel_block_count(std::size_t count, std::size_t threads,
                                                      std::size_t min_per_block) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    return std::max<std::size_t>(1, std::min(threads, count / std::max<std::size_t>(min_per_block, 1)));
}

/// Calls f(begin, end) for `blocks` contiguous blocks of [0, count), block b = [b·count/blocks,
/// (b+1)·count/blocks): block 0 on the calling thread, the others on one std::jthread each, all joined
/// before returning. The first exception (in block order) is rethrown after the join.
template <class F>
void parallel_blocks(std::size_t count, std::size_t blocks, F&& f) {
    blocks = std::max<std::size_t>(blocks, 1);
    std::vector<std::exception_ptr> failed(blocks);
    auto run = [&](std::size_t b) {
        try {
            f(b * count / blocks, (b + 1) * count / blocks);
        } catch (...) {
            failed[b] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> pool;
        pool.reserve(blocks - 1);
        for (std::size_t b = 1; b < blocks; ++b) pool.emplace_back(run, b);
        run(0);
    }  // joins
    for (const auto& e : failed)
        if (e) std::rethrow_exception(e);
}

}  // namespace l2s::detail
