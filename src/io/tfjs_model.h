// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/models/load_model.h"
#include "keras/sequential.h"

#include <string>

namespace keras::io {

/// A TensorFlow.js layers-format model: `model.json` (modelTopology + weightsManifest) and
/// the weight shards beside it.
[[nodiscard]] Sequential load_tfjs_model(const std::string& model_json_path,
                                         const models::LoadOptions& options = {});

}  // namespace keras::io
