// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/layer_config.h"
#include "keras/layers/base_pooling2d.h"

#include <string_view>

namespace keras::io {

// The config keys the four pooling layers share, read and written in Keras 3's order; defined
// at the bottom of src/layers/base_pooling2d.cpp.
[[nodiscard]] layers::Pooling2DOptions pooling2d_options(ConfigReader& config,
                                                         std::string_view class_name);
[[nodiscard]] Json pooling2d_get_config(const layers::BasePooling2D& layer);
[[nodiscard]] layers::GlobalPooling2DOptions global_pooling2d_options(ConfigReader& config);
[[nodiscard]] Json global_pooling2d_get_config(const layers::BaseGlobalPooling2D& layer);

}  // namespace keras::io
