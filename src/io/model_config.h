// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/sequential.h"

namespace keras::io {

/// A layer in Keras 3's serialised form: module, class_name, config, registered_name and,
/// for a built layer that Keras does not build at construction, build_config.
[[nodiscard]] Json serialize_layer(const layers::Layer& layer);

/// A Sequential model in Keras 3's serialised form (config.json of a `.keras` file).
[[nodiscard]] Json sequential_config(const Sequential& model);

/// Rebuilds a Sequential from Keras 3's form or Keras 2's (`{"class_name": "Sequential",
/// "config": {"layers": [...]}}`, or Keras 2.0's bare list of layers); layers come from the
/// one registry, so an unknown class is named in a NotImplementedError.
[[nodiscard]] Sequential sequential_from_config(const Json& serialized);

}  // namespace keras::io
