// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/layers/layer.h"

#include <optional>
#include <string>
#include <vector>

namespace keras::layers {

/// Options of Flatten, named and defaulted as Keras's arguments.
struct FlattenOptions {
  std::string
      data_format;  // "channels_last" or "channels_first"; empty: config::image_data_format()
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Flattens every axis but the batch: `(batch, d1, ..., dn)` -> `(batch, d1 * ... * dn)`,
/// `(batch,)` -> `(batch, 1)`. The output is always in channels-last order: with
/// channels_first, the channel axis is first moved last (Keras's rule, unlike PyTorch's).
/// On contiguous channels-last data the output is a view: no byte is copied.
///
///     model.add(keras::layers::Flatten({.input_shape = {28, 28, 1}}));  // (None, 784)
///
/// Keras: https://keras.io/api/layers/reshaping_layers/flatten/
class Flatten final : public Layer {
 public:
  explicit Flatten(FlattenOptions options = {});
  /// A Flatten from its Keras config (JSON text), as Keras's `Flatten.from_config`.
  [[nodiscard]] static Flatten from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "Flatten"; }
  [[nodiscard]] DataFormat data_format() const noexcept { return data_format_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  [[nodiscard]] bool moves_channels(int rank) const noexcept;

  DataFormat data_format_;
  std::vector<std::int64_t> last_input_shape_;  // what backward restores
};

}  // namespace keras::layers
