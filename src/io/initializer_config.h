// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/initializers.h"

namespace keras::io {

/// Keras 3's serialised initializer:
/// `{"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null},
///   "registered_name": null}`.
[[nodiscard]] Json initializer_config(const initializers::Initializer& initializer);

/// Reads Keras 3's form, Keras 2's `{"class_name": ..., "config": ...}`, or an identifier
/// string; throws ValueError naming what it cannot read.
[[nodiscard]] initializers::Initializer initializer_from_config(const Json& config);

}  // namespace keras::io
