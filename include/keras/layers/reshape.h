// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace keras::layers {

/// Options of Reshape, named and defaulted as Keras's arguments.
struct ReshapeOptions {
  std::vector<std::int64_t> target_shape;  // without the batch axis; one entry may be -1
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Reshapes every sample to `target_shape`: `(batch, ...)` -> `(batch, *target_shape)`, in
/// row-major order. One entry may be -1: it is inferred from the input size, or is None
/// while an input axis is unknown. On contiguous data the output is a view: nothing is copied.
///
///     model.add(keras::layers::Reshape({.target_shape = {3, 4}}));  // (None, 12) -> (None, 3, 4)
///
/// Keras: https://keras.io/api/layers/reshaping_layers/reshape/
class Reshape final : public Layer {
 public:
  explicit Reshape(ReshapeOptions options);
  /// A Reshape from its Keras config (JSON text), as Keras's `Reshape.from_config`.
  [[nodiscard]] static Reshape from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "Reshape"; }
  [[nodiscard]] const std::vector<std::int64_t>& target_shape() const noexcept {
    return target_shape_;
  }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  std::vector<std::int64_t> target_shape_;
  std::vector<std::int64_t> last_input_shape_;  // what backward restores
};

}  // namespace keras::layers
