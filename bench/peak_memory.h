// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>

namespace keras::bench {

/// Adds the process's peak resident memory so far as the counter peak_rss_mib.
inline void report_peak_memory(benchmark::State& state) {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

}  // namespace keras::bench
