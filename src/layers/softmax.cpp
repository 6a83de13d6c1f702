// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/softmax.h"

#include "io/layer_config.h"
#include "kernels/activation.h"
#include "layers/activation_state.h"

#include <fmt/format.h>

namespace keras::layers {

Softmax::Softmax(SoftmaxOptions options)
    : Layer("Softmax", {std::move(options.name), options.trainable, std::move(options.dtype),
                        std::move(options.input_shape)}),
      axis_(options.axis),
      state_(std::make_shared<detail::ActivationState>()) {}

void Softmax::check_axis(const Shape& input_shape) const {
  const int rank = input_shape.rank();
  if (axis_ < -rank || axis_ >= rank) {
    throw ValueError(fmt::format(
        "Layer \"{}\": axis {} is out of bounds for an input of rank {}. Received input shape: {}",
        name(), axis_, rank, input_shape.to_string()));
  }
}

Shape Softmax::compute_output_shape(const Shape& input_shape) const {
  check_axis(input_shape);
  return input_shape;
}

Tensor Softmax::call(const Tensor& inputs, bool /*training*/) {
  check_axis(Shape::of(inputs.shape()));
  return state_->forward({.kind = kernels::ActivationKind::softmax, .axis = axis_}, inputs);
}

Tensor Softmax::backward(const Tensor& grad_outputs) {
  return state_->backward(grad_outputs, name());
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> softmax_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  return std::make_unique<layers::Softmax>(layers::SoftmaxOptions{
      .axis = config.get<int>("axis", -1),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json softmax_get_config(const layers::Softmax& layer) {
  Json config = base_config(layer);
  config["axis"] = layer.axis();
  return config;
}

}  // namespace keras::io
