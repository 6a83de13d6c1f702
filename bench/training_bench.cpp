// SPDX-License-Identifier: Apache-2.0
// Training throughput of Keras's mnist_convnet example: one fit() epoch over 1,280 synthetic
// samples (10 steps of batch 128, shuffled, Adam, categorical cross-entropy, verbose 0), the
// path a user's fit() takes. items_per_second is samples/s. bench/run_training.sh runs it
// with bench/training_torch.py beside it; the figures are in docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <keras/keras.h>
#include <vector>

namespace {

constexpr std::int64_t kBatch = 128;
constexpr std::int64_t kSamples = 10 * kBatch;

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

void BM_fit_epoch_mnist_convnet(benchmark::State& state) {
  keras::utils::set_random_seed(1);
  keras::Sequential model = mnist_convnet();
  model.compile({.optimizer = "adam", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  const keras::Tensor x = keras::Tensor::uniform({kSamples, 28, 28, 1}, 0.0f, 1.0f, 2);
  std::vector<std::int32_t> labels(kSamples);
  for (std::int64_t i = 0; i < kSamples; ++i)
    labels[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i % 10);
  const keras::Tensor y = keras::utils::to_categorical(
      keras::Tensor::from_data(std::span<const std::int32_t>(labels), {kSamples}), 10);
  model.fit(x, y, {.batch_size = kBatch, .verbose = 0});  // plans and slots made once
  for (auto _ : state) {
    auto history = model.fit(x, y, {.batch_size = kBatch, .verbose = 0});
    benchmark::DoNotOptimize(history);
  }
  state.SetItemsProcessed(state.iterations() * kSamples);
}
BENCHMARK(BM_fit_epoch_mnist_convnet)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
