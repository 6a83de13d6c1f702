// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

#include <string_view>

namespace keras::models {

/// A model from its architecture, as `model.to_json()` or a `.keras` file's config.json
/// wrote it (Keras 3, Keras 2 and tf.keras forms); the weights are freshly initialised
/// (Python: `keras.models.model_from_json`).
[[nodiscard]] Sequential model_from_json(std::string_view json);

}  // namespace keras::models
