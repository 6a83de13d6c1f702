// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/relu.h"

#include "detail/python_repr.h"
#include "io/layer_config.h"
#include "kernels/activation.h"
#include "layers/activation_state.h"

#include <fmt/format.h>

namespace keras::layers {

ReLU::ReLU(ReLUOptions options)
    : Layer("ReLU", {std::move(options.name), options.trainable, std::move(options.dtype),
                     std::move(options.input_shape)}),
      max_value_(options.max_value),
      negative_slope_(options.negative_slope),
      threshold_(options.threshold),
      state_(std::make_shared<detail::ActivationState>()) {
  // Keras 3's checks and words (keras/src/layers/activations/relu.py).
  if (max_value_ && *max_value_ < 0.0) {
    throw ValueError(
        fmt::format("max_value of a ReLU layer cannot be a negative value. Received: max_value={}",
                    detail::python_float(*max_value_)));
  }
  if (negative_slope_ < 0.0) {
    throw ValueError(fmt::format(
        "negative_slope of a ReLU layer cannot be a negative value. Received: negative_slope={}",
        detail::python_float(negative_slope_)));
  }
  if (threshold_ < 0.0) {
    throw ValueError(
        fmt::format("threshold of a ReLU layer cannot be a negative value. Received: threshold={}",
                    detail::python_float(threshold_)));
  }
}

Shape ReLU::compute_output_shape(const Shape& input_shape) const { return input_shape; }

Tensor ReLU::call(const Tensor& inputs, bool /*training*/) {
  kernels::ActivationSpec spec{.kind = kernels::ActivationKind::relu,
                               .negative_slope = static_cast<float>(negative_slope_),
                               .threshold = static_cast<float>(threshold_)};
  if (max_value_) spec.max_value = static_cast<float>(*max_value_);
  return state_->forward(spec, inputs);
}

Tensor ReLU::backward(const Tensor& grad_outputs) { return state_->backward(grad_outputs, name()); }

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> relu_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  std::optional<double> max_value;  // null: unbounded
  if (!config.get<Json>("max_value", Json()).is_null()) {
    max_value = config.get<double>("max_value", 0.0);
  }
  return std::make_unique<layers::ReLU>(layers::ReLUOptions{
      .max_value = max_value,
      .negative_slope = config.get<double>("negative_slope", 0.0),
      .threshold = config.get<double>("threshold", 0.0),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json relu_get_config(const layers::ReLU& layer) {
  Json config = base_config(layer);
  config["max_value"] = layer.max_value() ? Json(*layer.max_value()) : Json(nullptr);
  config["negative_slope"] = layer.negative_slope();
  config["threshold"] = layer.threshold();
  return config;
}

}  // namespace keras::io
