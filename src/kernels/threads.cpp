// SPDX-License-Identifier: Apache-2.0
// keras::config::num_threads and set_num_threads: oneDNN's threads are OpenMP's. Debian's
// oneDNN loads libgomp, so its functions are looked up at run time instead of linking OpenMP
// (which would tie every consumer, and the clang sanitizer build, to one OpenMP runtime).
#include "keras/config.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <dlfcn.h>

namespace keras::config {
namespace {

template <typename Function>
Function* openmp_function(const char* name) {
  auto* function = reinterpret_cast<Function*>(::dlsym(RTLD_DEFAULT, name));
  if (function == nullptr) {
    throw NotImplementedError(fmt::format(
        "kerascpp cannot set its thread count: oneDNN's OpenMP runtime has no '{}'", name));
  }
  return function;
}

}  // namespace

int num_threads() {
  static auto* const get = openmp_function<int()>("omp_get_max_threads");
  return get();
}

void set_num_threads(int threads) {
  if (threads < 1) {
    throw ValueError(fmt::format("The number of threads must be at least 1, got {}", threads));
  }
  static auto* const set = openmp_function<void(int)>("omp_set_num_threads");
  set(threads);
}

}  // namespace keras::config
