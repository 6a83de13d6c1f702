// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/base_pooling2d.h"

#include <string_view>

namespace keras::layers {

/// Options of GlobalMaxPooling2D, named and defaulted as Keras's arguments.
using GlobalMaxPooling2DOptions = GlobalPooling2DOptions;

/// The maximum of each channel over all spatial positions: `(batch, channels)`, or with
/// `keepdims` `(batch, 1, 1, channels)` / `(batch, channels, 1, 1)`.
///
///     model.add(keras::layers::GlobalMaxPooling2D());  // (None, 7, 7, 64) -> (None, 64)
///
/// Keras: https://keras.io/api/layers/pooling_layers/global_max_pooling2d/
class GlobalMaxPooling2D final : public BaseGlobalPooling2D {
 public:
  explicit GlobalMaxPooling2D(GlobalMaxPooling2DOptions options = {});
  /// A GlobalMaxPooling2D from its Keras config (JSON text), as Keras's
  /// `GlobalMaxPooling2D.from_config`.
  [[nodiscard]] static GlobalMaxPooling2D from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "GlobalMaxPooling2D"; }
};

}  // namespace keras::layers
