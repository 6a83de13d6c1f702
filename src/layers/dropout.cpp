// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/dropout.h"

#include "detail/python_repr.h"
#include "detail/seed_stream.h"
#include "io/layer_config.h"
#include "kernels/binary.h"
#include "kernels/dropout_mask.h"

#include <fmt/format.h>

namespace keras::layers {

Dropout::Dropout(DropoutOptions options)
    : Layer("Dropout", {std::move(options.name), options.trainable, std::move(options.dtype),
                        std::move(options.input_shape)}),
      options_(std::move(options)) {
  // Keras 3's checks and words (keras/src/layers/regularization/dropout.py).
  if (!(options_.rate >= 0.0 && options_.rate <= 1.0)) {
    throw ValueError(fmt::format(
        "Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
        "Received: rate={}",
        detail::python_float(options_.rate)));
  }
  if (options_.noise_shape) {
    for (int axis = 0; axis < options_.noise_shape->rank(); ++axis) {
      const Dim& size = (*options_.noise_shape)[axis];
      if (size && *size <= 0) {
        throw ValueError(fmt::format(
            "Invalid value received for argument `noise_shape`. Expected all dimensions to be "
            "positive integers or None. Received negative or zero value at index {}: {}",
            axis, *size));
      }
    }
  }
  // As Keras's SeedGenerator, made only when the layer can drop.
  if (options_.rate > 0.0) seed_ = options_.seed ? *options_.seed : detail::next_seed();
}

Dropout::~Dropout() = default;
Dropout::Dropout(Dropout&&) noexcept = default;

Shape Dropout::compute_output_shape(const Shape& input_shape) const {
  if (!options_.noise_shape) return input_shape;
  const Shape& noise = *options_.noise_shape;
  bool fits = noise.rank() == input_shape.rank();
  for (int axis = 0; fits && axis < noise.rank(); ++axis) {
    const Dim& size = noise[axis];
    const Dim& input = input_shape[axis];
    fits = !size || !input || *size == 1 || *size == *input;
  }
  if (!fits) {
    // kerascpp's words: Keras fails later, in the backend's broadcast.
    throw ValueError(
        fmt::format("Input 0 of layer \"{}\" is incompatible with the layer: noise_shape={} "
                    "cannot be broadcast to the input. Full shape received: {}",
                    name(), noise.to_string(), input_shape.to_string()));
  }
  return input_shape;
}

std::vector<std::int64_t> Dropout::mask_shape(const std::vector<std::int64_t>& input) const {
  if (!options_.noise_shape) return input;
  // Keras's _get_concrete_noise_shape: None takes the input's size.
  std::vector<std::int64_t> shape = input;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    if (const Dim& size = (*options_.noise_shape)[static_cast<int>(axis)]) shape[axis] = *size;
  }
  return shape;
}

Tensor Dropout::call(const Tensor& inputs, bool training) {
  dropped_ = false;
  if (!training || options_.rate <= 0.0) return inputs;
  // Sequential calls `call` directly: a fixed noise_shape must fit this batch too.
  (void)compute_output_shape(Shape::of(inputs.shape()));
  const Tensor src = inputs.contiguous();
  // The mask's buffer is private, so a call of the same shape refills it in place.
  if (auto shape = mask_shape(src.shape()); !mask_.defined() || mask_.shape() != shape) {
    mask_ = Tensor::empty(std::move(shape));
  }
  kernels::fill_dropout_mask(mask_, options_.rate, seed_, calls_++);
  if (!plan_ || !plan_->matches(src.shape(), mask_.shape())) {
    plan_ = std::make_unique<kernels::BinaryPlan>(kernels::BinaryOp::multiply, src.shape(),
                                                  mask_.shape());
  }
  Tensor dst = Tensor::empty(src.shape());
  plan_->execute(src, mask_, dst);
  last_shape_ = src.shape();
  dropped_ = true;
  return dst;
}

Tensor Dropout::backward(const Tensor& grad_outputs) {
  if (!dropped_) return grad_outputs;
  if (grad_outputs.shape() != last_shape_) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        name(), Shape::of(grad_outputs.shape()).to_string(), Shape::of(last_shape_).to_string()));
  }
  const Tensor diff_dst = grad_outputs.contiguous();
  Tensor diff_src = Tensor::empty(diff_dst.shape());
  plan_->execute(diff_dst, mask_, diff_src);
  return diff_src;
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> dropout_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  layers::DropoutOptions options{
      .rate = config.get<double>("rate", 0.0),
      .noise_shape = config.shape("noise_shape"),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  };
  // null (no seed) or an integer; the reader names any other value.
  if (!config.get<Json>("seed", nullptr).is_null()) {
    options.seed = config.get<std::uint64_t>("seed", 0);
  }
  return std::make_unique<layers::Dropout>(std::move(options));
}

Json dropout_get_config(const layers::Dropout& layer) {
  const layers::DropoutOptions& options = layer.options();
  Json config = base_config(layer);
  config["rate"] = options.rate;
  config["seed"] = options.seed ? Json(*options.seed) : Json(nullptr);
  config["noise_shape"] = options.noise_shape ? shape_json(*options.noise_shape) : Json(nullptr);
  return config;
}

}  // namespace keras::io
