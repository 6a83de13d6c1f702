// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <string>
#include <vector>

namespace keras::layers {

/// Options of Permute, named and defaulted as Keras's arguments.
struct PermuteOptions {
  std::vector<int> dims;  // a permutation of 1..len(dims); 1-based, the batch axis excluded
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Reorders the axes after the batch: output axis i is input axis `dims[i-1]`, as Keras's
/// `transpose(x, (0, *dims))`. The output is contiguous (one oneDNN reorder).
///
///     model.add(keras::layers::Permute({.dims = {2, 1}}));  // (None, 10, 64) -> (None, 64, 10)
///
/// Keras: https://keras.io/api/layers/reshaping_layers/permute/
class Permute final : public Layer {
 public:
  explicit Permute(PermuteOptions options);
  /// A Permute from its Keras config (JSON text), as Keras's `Permute.from_config`.
  [[nodiscard]] static Permute from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "Permute"; }
  [[nodiscard]] const std::vector<int>& dims() const noexcept { return dims_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  std::vector<int> dims_;
  std::vector<int> forward_axes_;   // (0, *dims), 0-based
  std::vector<int> backward_axes_;  // the inverse permutation
};

}  // namespace keras::layers
