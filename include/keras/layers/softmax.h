// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <memory>
#include <string>

namespace keras::detail {
class ActivationState;
}

namespace keras::layers {

/// Options of Softmax, named and defaulted as Keras's arguments.
struct SoftmaxOptions {
  int axis = -1;  // the axis normalised over; negative counts from the end
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Softmax along one axis: `exp(x - max(x)) / sum(exp(x - max(x)))`.
///
///     model.add(keras::layers::Softmax({.axis = 1}));
///
/// Keras: https://keras.io/api/layers/activation_layers/softmax/
class Softmax final : public Layer {
 public:
  explicit Softmax(SoftmaxOptions options = {});

  [[nodiscard]] std::string_view class_name() const override { return "Softmax"; }
  [[nodiscard]] int axis() const noexcept { return axis_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  void check_axis(const Shape& input_shape) const;

  int axis_;
  std::shared_ptr<detail::ActivationState> state_;
};

}  // namespace keras::layers
