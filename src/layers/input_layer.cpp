// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/input_layer.h"

#include "io/layer_config.h"

#include <fmt/format.h>

namespace keras::layers {
namespace {

Shape resolve_batch_shape(const InputLayerOptions& options) {
  if (options.shape && options.batch_shape) {
    throw ValueError("You cannot pass both `shape` and `batch_shape` at the same time.");
  }
  if (options.batch_shape) return *options.batch_shape;
  if (!options.shape) throw ValueError("You must pass a `shape` argument.");
  return options.shape->with_batch(options.batch_size ? Dim(*options.batch_size) : None);
}

}  // namespace

InputLayer::InputLayer(InputLayerOptions options)
    : Layer("InputLayer", {.name = std::move(options.name), .dtype = options.dtype}),
      batch_shape_(resolve_batch_shape(options)) {
  Layer::build(batch_shape_);
}

Shape InputLayer::compute_output_shape(const Shape& /*input_shape*/) const { return batch_shape_; }

Tensor InputLayer::call(const Tensor& inputs, bool /*training*/) { return inputs; }

Tensor InputLayer::backward(const Tensor& grad_outputs) { return grad_outputs; }

}  // namespace keras::layers

namespace keras {

layers::InputLayer Input(layers::InputLayerOptions options) {
  return layers::InputLayer(std::move(options));
}

}  // namespace keras

namespace keras::io {

std::unique_ptr<layers::Layer> input_layer_from_config(ConfigReader& config) {
  layers::InputLayerOptions options;
  // Keras 3 writes batch_shape, Keras 2 batch_input_shape.
  options.batch_shape = config.shape("batch_shape");
  if (!options.batch_shape) options.batch_shape = config.shape("batch_input_shape");
  layers::LayerArgs args = config.layer_args();
  options.dtype = std::move(args.dtype);
  options.name = std::move(args.name);
  if (config.get<bool>("sparse", false) || config.get<bool>("ragged", false)) {
    throw NotImplementedError(
        fmt::format("InputLayer '{}': sparse and ragged inputs are not supported", options.name));
  }
  (void)config.get<bool>("optional", false);
  return std::make_unique<layers::InputLayer>(std::move(options));
}

Json input_layer_get_config(const layers::InputLayer& layer) {
  return {{"batch_shape", shape_json(layer.batch_shape())},
          {"dtype", name_of(layer.dtype())},
          {"sparse", false},
          {"ragged", false},
          {"name", layer.name()}};
}

}  // namespace keras::io
