// SPDX-License-Identifier: Apache-2.0
// Flatten on CNN-like float32 feature maps from 4 KiB to 256 MiB. channels_last is a view, so
// its time per call must not grow with the size; channels_first is one NCHW -> NHWC copy,
// compared with memcpy of the same bytes. bench/run_flatten.sh runs this with PyTorch beside
// it; the figures are in docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <keras/keras.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// (batch, height, width, channels); the byte sizes are 4 KiB, 16 KiB, ..., 256 MiB.
struct FeatureMaps {
  std::int64_t batch, height, width, channels;

  [[nodiscard]] std::int64_t bytes() const {
    return batch * height * width * channels * static_cast<std::int64_t>(sizeof(float));
  }
  [[nodiscard]] std::vector<std::int64_t> nhwc() const { return {batch, height, width, channels}; }
  [[nodiscard]] std::vector<std::int64_t> nchw() const { return {batch, channels, height, width}; }
};

constexpr FeatureMaps kFeatureMaps[] = {
    {1, 4, 4, 64},    {1, 8, 8, 64},    {1, 16, 16, 64},  {1, 32, 32, 64},    {4, 32, 32, 64},
    {16, 32, 32, 64}, {16, 64, 64, 64}, {64, 64, 64, 64}, {64, 128, 128, 64},
};

const FeatureMaps& feature_maps_of(std::int64_t bytes) {
  for (const auto& maps : kFeatureMaps) {
    if (maps.bytes() == bytes) return maps;
  }
  throw std::invalid_argument("no feature maps of " + std::to_string(bytes) + " bytes");
}

std::string shape_text(const keras::Tensor& tensor) {
  std::string text;
  for (const auto size : tensor.shape()) text += (text.empty() ? "" : "x") + std::to_string(size);
  return text;
}

void BM_flatten_channels_last(benchmark::State& state) {
  const keras::Tensor x = keras::Tensor::ones(feature_maps_of(state.range(0)).nhwc());
  keras::layers::Flatten flatten({.data_format = "channels_last"});
  if (!flatten(x).shares_storage_with(x)) {
    state.SkipWithError("channels_last Flatten copied its input");
    return;
  }
  for (auto _ : state) {
    keras::Tensor y = flatten(x);
    benchmark::DoNotOptimize(y.raw_data());
  }
  state.SetLabel("NHWC " + shape_text(x));
}

void BM_flatten_channels_first(benchmark::State& state) {
  const keras::Tensor x = keras::Tensor::ones(feature_maps_of(state.range(0)).nchw());
  keras::layers::Flatten flatten({.data_format = "channels_first"});
  for (auto _ : state) {
    keras::Tensor y = flatten(x);
    benchmark::DoNotOptimize(y.raw_data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetLabel("NCHW " + shape_text(x));
}

// Flatten's copy (the same permuted view, the same oneDNN reorder) into an output allocated
// once: the copy's own speed, without the allocation of a fresh output per call.
void BM_flatten_channels_first_preallocated(benchmark::State& state) {
  const FeatureMaps& maps = feature_maps_of(state.range(0));
  const keras::Tensor x = keras::Tensor::ones(maps.nchw());
  const keras::Tensor channels_last_view = x.permute({0, 2, 3, 1});
  keras::Tensor y = keras::Tensor::zeros(maps.nhwc());
  for (auto _ : state) {
    y.copy_from(channels_last_view);
    benchmark::DoNotOptimize(y.raw_data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetLabel("NCHW " + shape_text(x));
}

// The bar for channels_first: the same bytes copied in order into a preallocated buffer.
void BM_flatten_memcpy(benchmark::State& state) {
  const FeatureMaps& maps = feature_maps_of(state.range(0));
  const keras::Tensor x = keras::Tensor::ones(maps.nchw());
  keras::Tensor y = keras::Tensor::zeros(maps.nhwc());
  for (auto _ : state) {
    std::memcpy(y.raw_data(), x.raw_data(), x.nbytes());
    benchmark::DoNotOptimize(y.raw_data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetLabel("NCHW " + shape_text(x));
}

constexpr std::int64_t kSmallest = std::int64_t{4} << 10;
constexpr std::int64_t kLargest = std::int64_t{256} << 20;

// Wall-clock time, also for the rates: oneDNN copies on several threads, and Google
// Benchmark's default CPU time counts only the calling one.
void feature_map_sizes(benchmark::internal::Benchmark* benchmark) {
  benchmark->RangeMultiplier(4)->Range(kSmallest, kLargest)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_flatten_channels_last)->Apply(feature_map_sizes);
BENCHMARK(BM_flatten_channels_first)->Apply(feature_map_sizes);
BENCHMARK(BM_flatten_channels_first_preallocated)->Apply(feature_map_sizes);
BENCHMARK(BM_flatten_memcpy)->Apply(feature_map_sizes);
