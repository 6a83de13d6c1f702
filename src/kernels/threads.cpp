// SPDX-License-Identifier: Apache-2.0
// keras::config::num_threads and set_num_threads: oneDNN's threads are OpenMP's.
#include "keras/config.h"
#include "keras/error.h"
#include "kernels/openmp.h"

#include <fmt/format.h>

namespace keras::config {

int num_threads() { return kernels::openmp::max_threads(); }

void set_num_threads(int threads) {
  if (threads < 1) {
    throw ValueError(fmt::format("The number of threads must be at least 1, got {}", threads));
  }
  kernels::openmp::set_max_threads(threads);
}

}  // namespace keras::config
