// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/layers/layer.h"
#include "keras/layers/pads2d.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keras::layers {

/// Options of Cropping2D, named and defaulted as Keras's arguments.
struct Cropping2DOptions {
  Pads2D cropping{{0, 0}, {0, 0}};  // int, (height, width) or ((top, bottom), (left, right))
  std::string
      data_format;  // "channels_last" or "channels_first"; empty: config::image_data_format()
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Removes rows and columns at the top, bottom, left and right of 4D images.
///
///     model.add(keras::layers::Cropping2D({.cropping = {{2, 2}, {4, 4}}}));  // 28x28 -> 24x20
///
/// Keras: https://keras.io/api/layers/reshaping_layers/cropping2d/
class Cropping2D final : public Layer {
 public:
  explicit Cropping2D(Cropping2DOptions options = {});
  /// A Cropping2D from its Keras config (JSON text), as Keras's `from_config`.
  [[nodiscard]] static Cropping2D from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "Cropping2D"; }
  [[nodiscard]] const Pads2D& cropping() const noexcept { return cropping_; }
  [[nodiscard]] DataFormat data_format() const noexcept { return data_format_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  /// Keras's check that every spatial axis keeps at least one row; `what` names the shape
  /// as Keras's message does ("input_shape" symbolically, "inputs.shape" on data).
  void check_fits(const Shape& shape, std::string_view what) const;
  /// The view of `full` (an input-shaped tensor) that the crop keeps.
  [[nodiscard]] Tensor interior(const Tensor& full) const;

  Pads2D cropping_;
  DataFormat data_format_;
  std::vector<std::int64_t> last_input_shape_;   // what backward restores
  std::vector<std::int64_t> last_output_shape_;  // what backward expects
};

}  // namespace keras::layers
