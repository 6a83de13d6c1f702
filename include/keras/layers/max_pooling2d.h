// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/base_pooling2d.h"

#include <string_view>

namespace keras::layers {

/// Options of MaxPooling2D, named and defaulted as Keras's arguments.
using MaxPooling2DOptions = Pooling2DOptions;

/// Max pooling over 2-D windows: each output is the largest input of its window; with
/// `padding = "same"` a padded cell never wins.
///
///     model.add(keras::layers::MaxPooling2D({.pool_size = 2}));  // (None, 26, 26, 32) -> (None,
///     13, 13, 32)
///
/// Keras: https://keras.io/api/layers/pooling_layers/max_pooling2d/
class MaxPooling2D final : public BasePooling2D {
 public:
  explicit MaxPooling2D(MaxPooling2DOptions options = {});
  /// A MaxPooling2D from its Keras config (JSON text), as Keras's `MaxPooling2D.from_config`.
  [[nodiscard]] static MaxPooling2D from_config(std::string_view config_json);

  [[nodiscard]] std::string_view class_name() const override { return "MaxPooling2D"; }
};

}  // namespace keras::layers
