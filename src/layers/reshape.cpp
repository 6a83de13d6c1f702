// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/reshape.h"

#include "io/layer_config.h"
#include "io/layer_registry.h"

#include <fmt/format.h>

#include <algorithm>

namespace keras::layers {
namespace {

// A tuple of sizes as Python prints it: `(3, 4)`, `(12,)`.
std::string tuple_repr(const std::vector<std::int64_t>& sizes) {
  return Shape::of(sizes).to_string();
}

}  // namespace

Reshape::Reshape(ReshapeOptions options)
    : Layer("Reshape", {std::move(options.name), options.trainable, std::move(options.dtype),
                        std::move(options.input_shape)}),
      target_shape_(std::move(options.target_shape)) {
  // keras/src/layers/reshaping/reshape.py, __init__.
  if (std::count(target_shape_.begin(), target_shape_.end(), -1) > 1) {
    throw ValueError(fmt::format(
        "The `target_shape` argument must not contain more than one `-1` value. Received: "
        "target_shape={}",
        tuple_repr(target_shape_)));
  }
  // Keras lets such a value through to a failing reshape; kerascpp stops it here.
  if (std::any_of(target_shape_.begin(), target_shape_.end(),
                  [](std::int64_t size) { return size < -1; })) {
    throw ValueError(fmt::format(
        "Reshape layer '{}': every entry of `target_shape` must be a non-negative integer or "
        "-1. Received: target_shape={}",
        name(), tuple_repr(target_shape_)));
  }
}

Reshape Reshape::from_config(std::string_view config_json) {
  auto layer = io::layer_from_config("Reshape", io::parse_json(config_json, "Reshape config"));
  return std::move(static_cast<Reshape&>(*layer));
}

// Keras's operation_utils.compute_reshape_output_shape on the axes after the batch.
Shape Reshape::compute_output_shape(const Shape& input_shape) const {
  const Shape sample = input_shape.without_batch();
  const Dim batch = input_shape.rank() > 0 ? input_shape[0] : None;
  std::vector<Dim> output{batch};
  if (!sample.is_fully_defined()) {
    for (const std::int64_t size : target_shape_) {
      output.push_back(size == -1 ? Dim(None) : Dim(size));
    }
    return Shape(std::move(output));
  }
  const std::int64_t input_size = *sample.num_elements();
  const auto unknown = std::find(target_shape_.begin(), target_shape_.end(), -1);
  std::int64_t known_size = 1;
  for (const std::int64_t size : target_shape_) known_size *= size == -1 ? 1 : size;
  if (unknown == target_shape_.end()) {
    if (input_size != known_size) {
      throw ValueError(
          fmt::format("The total size of the tensor must be unchanged. Received: input_shape={}, "
                      "target_shape={}",
                      sample.to_string(), tuple_repr(target_shape_)));
    }
  } else if (known_size == 0 || input_size % known_size != 0) {
    throw ValueError(fmt::format(
        "The total size of the tensor must be unchanged, however, the input size cannot by "
        "divided by the specified dimensions in target_shape. Received: input_shape={}, "
        "target_shape={}",
        sample.to_string(), tuple_repr(target_shape_)));
  }
  for (const std::int64_t size : target_shape_) {
    output.push_back(size == -1 ? input_size / known_size : size);
  }
  return Shape(std::move(output));
}

Tensor Reshape::call(const Tensor& inputs, bool /*training*/) {
  last_input_shape_ = inputs.shape();
  // Resolves -1 (and checks the sizes) with Keras's rule and messages; a view when contiguous.
  return inputs.reshape(compute_output_shape(Shape::of(inputs.shape())).sizes());
}

Tensor Reshape::backward(const Tensor& grad_outputs) {
  return grad_outputs.reshape(last_input_shape_);
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> reshape_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  if (config.get<Json>("target_shape", nullptr).is_null()) {
    // What Python says when from_config calls Reshape(**config) without it.
    throw TypeError("Reshape.__init__() missing 1 required positional argument: 'target_shape'");
  }
  return std::make_unique<layers::Reshape>(layers::ReshapeOptions{
      .target_shape = config.get<std::vector<std::int64_t>>("target_shape", {}),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json reshape_get_config(const layers::Reshape& layer) {
  Json config = base_config(layer);
  config["target_shape"] = layer.target_shape();
  return config;
}

}  // namespace keras::io
