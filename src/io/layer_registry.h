// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/layers/layer.h"

#include <memory>
#include <string_view>

namespace keras::io {

/// Keras's serialised layer `{"class_name": ..., "config": {...}}` -> a layer; the one
/// table from Keras class names to layers lives behind this function.
[[nodiscard]] std::unique_ptr<layers::Layer> layer_from_json(const Json& serialized);
/// The layer `class_name` built from its Keras `config`.
[[nodiscard]] std::unique_ptr<layers::Layer> layer_from_config(std::string_view class_name,
                                                               const Json& config);
/// The Keras config of `layer` (the `"config"` part of its serialised form).
[[nodiscard]] Json layer_config(const layers::Layer& layer);

}  // namespace keras::io
