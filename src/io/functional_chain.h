// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"

namespace keras::io {

/// The Sequential config of the same computation when `serialized` is a Functional model
/// (`"class_name": "Functional"`, or Keras 2's / TF.js's `"Model"`) whose layers form one
/// chain: one input, one output, each layer called once on the previous layer's output.
/// Reads Keras 2's `inbound_nodes` (`[[["name", 0, 0, {}]]]`) and Keras 3's
/// (`[{"args": [{"class_name": "__keras_tensor__", ...}], "kwargs": {}}]`), in any listing
/// order. Any other config is returned unchanged. A graph that is not a chain throws
/// NotImplementedError naming the layer and why; a reference to an unknown layer, ValueError.
[[nodiscard]] Json sequential_config_of(const Json& serialized);

}  // namespace keras::io
