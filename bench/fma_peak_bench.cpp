// SPDX-License-Identifier: Apache-2.0
// The machine's measured single-precision FMA peak, the bar for GFLOP/s in bench/compare:
// independent chains of AVX-512 fused multiply-adds (AVX2 where AVX-512 is missing) on as
// many threads as OMP_NUM_THREADS says (default 1). The gflops counter is the peak.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <immintrin.h>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kChains = 12;  // enough independent FMAs to cover the latency on two ports
constexpr std::int64_t kRounds = 1 << 22;

__attribute__((target("avx512f"))) float fma_chains_avx512() {
  __m512 chains[kChains];
  for (int i = 0; i < kChains; ++i) chains[i] = _mm512_set1_ps(static_cast<float>(i));
  const __m512 factor = _mm512_set1_ps(0.999999f);
  const __m512 addend = _mm512_set1_ps(1e-7f);
  for (std::int64_t round = 0; round < kRounds; ++round) {
    for (auto& chain : chains) chain = _mm512_fmadd_ps(chain, factor, addend);
  }
  __m512 sum = chains[0];
  for (int i = 1; i < kChains; ++i) sum = _mm512_add_ps(sum, chains[i]);
  float lanes[16];
  _mm512_storeu_ps(lanes, sum);
  return lanes[0];
}

__attribute__((target("avx2,fma"))) float fma_chains_avx2() {
  __m256 chains[kChains];
  for (int i = 0; i < kChains; ++i) chains[i] = _mm256_set1_ps(static_cast<float>(i));
  const __m256 factor = _mm256_set1_ps(0.999999f);
  const __m256 addend = _mm256_set1_ps(1e-7f);
  for (std::int64_t round = 0; round < kRounds; ++round) {
    for (auto& chain : chains) chain = _mm256_fmadd_ps(chain, factor, addend);
  }
  __m256 sum = chains[0];
  for (int i = 1; i < kChains; ++i) sum = _mm256_add_ps(sum, chains[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  return lanes[0];
}

void BM_fma_peak(benchmark::State& state) {
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const double lanes = avx512 ? 16 : 8;
  const char* threads_text = std::getenv("OMP_NUM_THREADS");
  const int threads = threads_text != nullptr ? std::max(1, std::atoi(threads_text)) : 1;
  for (auto _ : state) {
    std::vector<std::thread> workers;
    std::vector<float> results(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        results[static_cast<std::size_t>(t)] = avx512 ? fma_chains_avx512() : fma_chains_avx2();
      });
    }
    for (auto& worker : workers) worker.join();
    benchmark::DoNotOptimize(results);
  }
  const double flops = 2.0 * lanes * kChains * static_cast<double>(kRounds) * threads;
  state.counters["gflops"] =
      benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(std::string(avx512 ? "avx512" : "avx2") + ", " + std::to_string(threads) +
                 " thread(s)");
}
BENCHMARK(BM_fma_peak)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
