// SPDX-License-Identifier: Apache-2.0
// Forward and backward of each layer of Keras's mnist_convnet example at batch 128, on the
// shapes the model feeds them (channels-last). Forward is a training call (`layer(x, true)`),
// as in a training step; backward runs after one such call and returns dL/dx, writing the
// weight gradients. bench/run_layers.sh runs this with bench/layers_torch.py beside it; the
// figures are in docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <keras/keras.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr std::int64_t kBatch = 128;

// The mnist_convnet layers in model order, each with its input shape (batch included).
enum class LayerId { conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, flatten, dropout, dense };

struct LayerCase {
  std::unique_ptr<keras::layers::Layer> layer;
  std::vector<std::int64_t> input_shape;
};

LayerCase make_layer(LayerId id) {
  using namespace keras::layers;
  switch (id) {
    case LayerId::conv2d:
      return {std::make_unique<Conv2D>(
                  Conv2DOptions{.filters = 32, .kernel_size = 3, .activation = "relu"}),
              {kBatch, 28, 28, 1}};
    case LayerId::max_pooling2d:
      return {std::make_unique<MaxPooling2D>(MaxPooling2DOptions{.pool_size = 2}),
              {kBatch, 26, 26, 32}};
    case LayerId::conv2d_1:
      return {std::make_unique<Conv2D>(
                  Conv2DOptions{.filters = 64, .kernel_size = 3, .activation = "relu"}),
              {kBatch, 13, 13, 32}};
    case LayerId::max_pooling2d_1:
      return {std::make_unique<MaxPooling2D>(MaxPooling2DOptions{.pool_size = 2}),
              {kBatch, 11, 11, 64}};
    case LayerId::flatten:
      return {std::make_unique<Flatten>(FlattenOptions{}), {kBatch, 5, 5, 64}};
    case LayerId::dropout:
      return {std::make_unique<Dropout>(DropoutOptions{.rate = 0.5}), {kBatch, 1600}};
    case LayerId::dense:
      return {std::make_unique<Dense>(DenseOptions{.units = 10, .activation = "softmax"}),
              {kBatch, 1600}};
  }
  throw std::invalid_argument("unknown layer");
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text;
  for (const auto size : shape) text += (text.empty() ? "" : "x") + std::to_string(size);
  return text;
}

// A training call: the forward pass of a training step, which also keeps what backward reads
// (ReLU's output, max pooling's arg-maxes, the dropout mask, softmax's output).
void BM_forward(benchmark::State& state, LayerId id) {
  keras::utils::set_random_seed(1);
  LayerCase c = make_layer(id);
  const keras::Tensor x = keras::Tensor::uniform(c.input_shape, 0.0f, 1.0f, /*seed=*/1);
  keras::Tensor y = (*c.layer)(x, /*training=*/true);  // builds the layer and its primitives
  for (auto _ : state) {
    y = (*c.layer)(x, /*training=*/true);
    benchmark::DoNotOptimize(y.raw_data());
    benchmark::ClobberMemory();
  }
  state.SetLabel("NHWC " + shape_text(c.input_shape) + " -> " + shape_text(y.shape()));
}

// dL/dx (and the weight gradients) from one dL/dy, after one training call.
void BM_backward(benchmark::State& state, LayerId id) {
  keras::utils::set_random_seed(1);
  LayerCase c = make_layer(id);
  const keras::Tensor x = keras::Tensor::uniform(c.input_shape, 0.0f, 1.0f, /*seed=*/1);
  const keras::Tensor y = (*c.layer)(x, /*training=*/true);
  const keras::Tensor dy = keras::Tensor::uniform(y.shape(), -1.0f, 1.0f, /*seed=*/2);
  keras::Tensor dx = c.layer->backward(dy);  // creates the backward primitives
  if (dx.shape() != x.shape()) {
    state.SkipWithError("backward returned a gradient of the wrong shape");
    return;
  }
  for (auto _ : state) {
    dx = c.layer->backward(dy);
    benchmark::DoNotOptimize(dx.raw_data());
    benchmark::ClobberMemory();
  }
  state.SetLabel("NHWC " + shape_text(y.shape()) + " -> " + shape_text(x.shape()));
}

}  // namespace

// Wall-clock time: oneDNN runs on several threads, and Google Benchmark's default CPU time
// counts only the calling one. The names are Keras's automatic layer names in mnist_convnet.
#define KERAS_LAYER_BENCH(id)                                                                   \
  BENCHMARK_CAPTURE(BM_forward, id, LayerId::id)->UseRealTime()->Unit(benchmark::kMicrosecond); \
  BENCHMARK_CAPTURE(BM_backward, id, LayerId::id)->UseRealTime()->Unit(benchmark::kMicrosecond)

KERAS_LAYER_BENCH(conv2d);
KERAS_LAYER_BENCH(max_pooling2d);
KERAS_LAYER_BENCH(conv2d_1);
KERAS_LAYER_BENCH(max_pooling2d_1);
KERAS_LAYER_BENCH(flatten);
KERAS_LAYER_BENCH(dropout);
KERAS_LAYER_BENCH(dense);
