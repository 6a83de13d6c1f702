// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/base_pooling2d.h"

#include <string_view>

namespace keras::layers {

/// Options of AveragePooling2D, named and defaulted as Keras's arguments.
using AveragePooling2DOptions = Pooling2DOptions;

/// Average pooling over 2-D windows; with `padding = "same"` each window is divided by the
/// number of real (non-padded) cells in it, as Keras does.
///
///     model.add(keras::layers::AveragePooling2D({.pool_size = 3, .strides = 1, .padding =
///     "same"}));
///
/// Keras: https://keras.io/api/layers/pooling_layers/average_pooling2d/
class AveragePooling2D final : public BasePooling2D {
 public:
  explicit AveragePooling2D(AveragePooling2DOptions options = {});
  /// A AveragePooling2D from its Keras config (JSON text), as Keras's
  /// `AveragePooling2D.from_config`.
  [[nodiscard]] static AveragePooling2D from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "AveragePooling2D"; }
};

}  // namespace keras::layers
