// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/base_pooling2d.h"

#include <string_view>

namespace keras::layers {

/// Options of GlobalAveragePooling2D, named and defaulted as Keras's arguments.
using GlobalAveragePooling2DOptions = GlobalPooling2DOptions;

/// The mean of each channel over all spatial positions: `(batch, channels)`, or with
/// `keepdims` `(batch, 1, 1, channels)` / `(batch, channels, 1, 1)`.
///
///     model.add(keras::layers::GlobalAveragePooling2D());  // (None, 7, 7, 64) -> (None, 64)
///
/// Keras: https://keras.io/api/layers/pooling_layers/global_average_pooling2d/
class GlobalAveragePooling2D final : public BaseGlobalPooling2D {
 public:
  explicit GlobalAveragePooling2D(GlobalAveragePooling2DOptions options = {});
  /// A GlobalAveragePooling2D from its Keras config (JSON text), as Keras's
  /// `GlobalAveragePooling2D.from_config`.
  [[nodiscard]] static GlobalAveragePooling2D from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "GlobalAveragePooling2D"; }
};

}  // namespace keras::layers
