// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/layers/layer.h"
#include "keras/layers/pads2d.h"

#include <cstdint>
#include <string>
#include <vector>

namespace keras::layers {

/// Options of ZeroPadding2D, named and defaulted as Keras's arguments.
struct ZeroPadding2DOptions {
  Pads2D padding{1, 1};  // int, (height, width) or ((top, bottom), (left, right))
  std::string
      data_format;  // "channels_last" or "channels_first"; empty: config::image_data_format()
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Adds rows and columns of zeros at the top, bottom, left and right of 4D images.
///
///     model.add(keras::layers::ZeroPadding2D({.padding = {{1, 0}, {2, 2}}}));
///
/// Keras: https://keras.io/api/layers/reshaping_layers/zero_padding2d/
class ZeroPadding2D final : public Layer {
 public:
  explicit ZeroPadding2D(ZeroPadding2DOptions options = {});
  /// A ZeroPadding2D from its Keras config (JSON text), as Keras's `from_config`.
  [[nodiscard]] static ZeroPadding2D from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "ZeroPadding2D"; }
  [[nodiscard]] const Pads2D& padding() const noexcept { return padding_; }
  [[nodiscard]] DataFormat data_format() const noexcept { return data_format_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  /// The view of a padded tensor that holds the input.
  [[nodiscard]] Tensor interior(const Tensor& padded, const std::vector<std::int64_t>& inner) const;

  Pads2D padding_;
  DataFormat data_format_;
  std::vector<std::int64_t> last_input_shape_;   // what backward cuts out
  std::vector<std::int64_t> last_output_shape_;  // what backward expects
};

}  // namespace keras::layers
