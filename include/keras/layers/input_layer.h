// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <cstdint>
#include <optional>
#include <string>

namespace keras::layers {

/// Options of InputLayer and keras::Input, named as Keras's arguments. Give `shape`
/// (without the batch axis) or `batch_shape` (with it), not both.
struct InputLayerOptions {
  OptionalShape shape;
  std::optional<std::int64_t> batch_size;
  std::string dtype = "float32";
  OptionalShape batch_shape;
  std::string name;
};

/// The entry of a model: fixes the shape of what comes in, holds no weights.
///
///     model.add(keras::Input({.shape = {28, 28, 1}}));
///
/// Keras: https://keras.io/api/layers/core_layers/input/
class InputLayer final : public Layer {
 public:
  explicit InputLayer(InputLayerOptions options);

  [[nodiscard]] std::string_view class_name() const override { return "InputLayer"; }
  /// The full input shape, batch axis first: `(None, 28, 28, 1)`.
  [[nodiscard]] const Shape& batch_shape() const noexcept { return batch_shape_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  Shape batch_shape_;
};

}  // namespace keras::layers

namespace keras {

/// Keras's `keras.Input(shape=...)`: the InputLayer that starts a model.
[[nodiscard]] layers::InputLayer Input(layers::InputLayerOptions options);

}  // namespace keras
