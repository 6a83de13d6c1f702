// SPDX-License-Identifier: Apache-2.0
// oneDNN's threads are OpenMP's. Debian's oneDNN loads libgomp, so its functions are looked
// up at run time instead of linking OpenMP (which would tie every consumer, and the clang
// sanitizer build, to one OpenMP runtime). A parallel region is libgomp's entry point for
// `#pragma omp parallel`, GOMP_parallel, which LLVM's libomp also provides.
#include "kernels/openmp.h"

#include "keras/error.h"

#include <fmt/format.h>

#include <dlfcn.h>

namespace keras::kernels::openmp {
namespace {

template <typename Function>
Function* find_function(const char* name) {
  return reinterpret_cast<Function*>(::dlsym(RTLD_DEFAULT, name));
}

template <typename Function>
Function* required_function(const char* name) {
  auto* function = find_function<Function>(name);
  if (function == nullptr) {
    throw NotImplementedError(fmt::format(
        "kerascpp cannot set its thread count: oneDNN's OpenMP runtime has no '{}'", name));
  }
  return function;
}

struct ParallelRuntime {
  void (*parallel)(void (*body)(void*), void* data, unsigned threads, unsigned flags);
  int (*thread_number)();
  int (*thread_count)();
};

const ParallelRuntime* parallel_runtime() {
  static const ParallelRuntime runtime{
      find_function<void(void (*)(void*), void*, unsigned, unsigned)>("GOMP_parallel"),
      find_function<int()>("omp_get_thread_num"), find_function<int()>("omp_get_num_threads")};
  const bool complete = runtime.parallel != nullptr && runtime.thread_number != nullptr &&
                        runtime.thread_count != nullptr;
  return complete ? &runtime : nullptr;
}

struct Region {
  const ParallelRuntime* runtime;
  const std::function<void(int, int)>* work;
};

void run_region(void* data) noexcept {
  const auto& region = *static_cast<const Region*>(data);
  (*region.work)(region.runtime->thread_number(), region.runtime->thread_count());
}

}  // namespace

int max_threads() {
  static auto* const get = required_function<int()>("omp_get_max_threads");
  return get();
}

int usable_threads() noexcept {
  static auto* const get = find_function<int()>("omp_get_max_threads");
  return get != nullptr && parallel_runtime() != nullptr ? get() : 1;
}

void set_max_threads(int threads) {
  static auto* const set = required_function<void(int)>("omp_set_num_threads");
  set(threads);
}

void run_on_threads(int threads, const std::function<void(int thread, int threads)>& work) {
  const auto* runtime = parallel_runtime();
  if (threads <= 1 || runtime == nullptr) {
    work(0, 1);
    return;
  }
  Region region{runtime, &work};
  runtime->parallel(run_region, &region, static_cast<unsigned>(threads), 0);
}

}  // namespace keras::kernels::openmp
