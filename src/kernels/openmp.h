// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>

namespace keras::kernels::openmp {

/// The thread count oneDNN's primitives use (`omp_get_max_threads`); throws
/// NotImplementedError when the OpenMP runtime cannot be reached.
[[nodiscard]] int max_threads();

/// How many threads run_on_threads can use: max_threads(), or 1 without a reachable runtime.
[[nodiscard]] int usable_threads() noexcept;

/// Sets the thread count of later parallel work (`omp_set_num_threads`).
void set_max_threads(int threads);

/// Runs `work(thread, threads)` once on each of up to `threads` OpenMP threads (the ones
/// oneDNN's primitives run on) and returns when all have finished; `threads` is the count
/// that actually runs. Without a reachable OpenMP runtime it runs once, on the calling
/// thread, as thread 0 of 1. `work` must not throw.
void run_on_threads(int threads, const std::function<void(int thread, int threads)>& work);

}  // namespace keras::kernels::openmp
