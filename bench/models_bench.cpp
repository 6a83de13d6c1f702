// SPDX-License-Identifier: Apache-2.0
// Whole models, as users run them: Keras's mnist_convnet and cifar_convnet (issue 6) on
// synthetic data, batch 128 unless said otherwise.
// - BM_train/<model>: one fit() epoch of 10 shuffled steps over 1,280 samples (Adam,
//   categorical cross-entropy, verbose 0), after one warm-up epoch; items_per_second is samples/s.
// - BM_infer/<model>: predict() on 128 samples; items_per_second is samples/s.
// - BM_latency/<model>: predict() on one sample; the time per iteration is the latency.
// Every benchmark reports the process's peak resident memory (peak_rss_mib), so bench/compare
// runs each in a process of its own. The threads are OMP_NUM_THREADS.
#include "peak_memory.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <keras/keras.h>
#include <string>
#include <vector>

namespace {

using keras::bench::report_peak_memory;

constexpr std::int64_t kBatch = 128;
constexpr std::int64_t kSamples = 10 * kBatch;

// keras-spec.md's mnist_convnet.
keras::Sequential mnist_convnet() {
  keras::Sequential model;
  model.add(keras::Input({.shape = {28, 28, 1}}));
  model.add(keras::layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}));
  model.add(keras::layers::MaxPooling2D({.pool_size = 2}));
  model.add(keras::layers::Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}));
  model.add(keras::layers::MaxPooling2D({.pool_size = 2}));
  model.add(keras::layers::Flatten());
  model.add(keras::layers::Dropout({.rate = 0.5}));
  model.add(keras::layers::Dense({.units = 10, .activation = "softmax"}));
  return model;
}

// Keras's classic CIFAR-10 CNN, as issue 6 gives it.
keras::Sequential cifar_convnet() {
  using keras::layers::Conv2D;
  keras::Sequential model;
  model.add(keras::Input({.shape = {32, 32, 3}}));
  model.add(Conv2D({.filters = 32, .kernel_size = 3, .padding = "same", .activation = "relu"}));
  model.add(Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}));
  model.add(keras::layers::MaxPooling2D({.pool_size = 2}));
  model.add(Conv2D({.filters = 64, .kernel_size = 3, .padding = "same", .activation = "relu"}));
  model.add(Conv2D({.filters = 64, .kernel_size = 3, .activation = "relu"}));
  model.add(keras::layers::MaxPooling2D({.pool_size = 2}));
  model.add(keras::layers::Flatten());
  model.add(keras::layers::Dense({.units = 512, .activation = "relu"}));
  model.add(keras::layers::Dropout({.rate = 0.5}));
  model.add(keras::layers::Dense({.units = 10, .activation = "softmax"}));
  return model;
}

keras::Sequential model_named(const std::string& name) {
  keras::utils::set_random_seed(1);
  return name == "mnist_convnet" ? mnist_convnet() : cifar_convnet();
}

keras::Tensor inputs(const keras::Sequential& model, std::int64_t samples) {
  std::vector<std::int64_t> shape{samples};
  for (int axis = 1; axis < model.input_shape().rank(); ++axis) {
    shape.push_back(*model.input_shape()[axis]);
  }
  return keras::Tensor::uniform(shape, 0.0f, 1.0f, 2);
}

void BM_train(benchmark::State& state, const std::string& name) {
  keras::Sequential model = model_named(name);
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  const keras::Tensor x = inputs(model, kSamples);
  std::vector<std::int32_t> labels(kSamples);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int32_t>(i % 10);
  const keras::Tensor y = keras::utils::to_categorical(
      keras::Tensor::from_data(std::span<const std::int32_t>(labels), {kSamples}), 10);
  model.fit(x, y, {.batch_size = kBatch, .verbose = 0});  // plans, slots and memory made once
  for (auto _ : state) {
    auto history = model.fit(x, y, {.batch_size = kBatch, .verbose = 0});
    benchmark::DoNotOptimize(history);
  }
  state.SetItemsProcessed(state.iterations() * kSamples);
  report_peak_memory(state);
}

void BM_predict(benchmark::State& state, const std::string& name, std::int64_t batch) {
  keras::Sequential model = model_named(name);
  const keras::Tensor x = inputs(model, batch);
  (void)model.predict(x, batch);
  for (auto _ : state) benchmark::DoNotOptimize(model.predict(x, batch));
  state.SetItemsProcessed(state.iterations() * batch);
  report_peak_memory(state);
}

void BM_infer(benchmark::State& state, const std::string& name) { BM_predict(state, name, kBatch); }
void BM_latency(benchmark::State& state, const std::string& name) { BM_predict(state, name, 1); }

BENCHMARK_CAPTURE(BM_train, mnist_convnet, "mnist_convnet")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_train, cifar_convnet, "cifar_convnet")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_infer, mnist_convnet, "mnist_convnet")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_infer, cifar_convnet, "cifar_convnet")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_latency, mnist_convnet, "mnist_convnet")
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_latency, cifar_convnet, "cifar_convnet")
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
