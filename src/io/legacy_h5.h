// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/hdf5_file.h"
#include "keras/models/load_model.h"
#include "keras/sequential.h"

#include <string>

namespace keras::io {

/// A legacy Keras 2 / tf.keras full-model `.h5` (root attribute `model_config`, group
/// `model_weights`): the model with its weights.
[[nodiscard]] Sequential load_legacy_h5_model(const std::string& path,
                                              const models::LoadOptions& options = {});

/// Weights from a Keras 2 `save_weights` `.h5` (root attributes `layer_names`) or the
/// `model_weights` group of a full-model `.h5`, matched by position as Keras 2 does.
void load_legacy_h5_weights(const std::string& path, Sequential& model);
/// The same from the file at `path`, already open (closed when they are assigned).
void load_legacy_h5_weights(hdf5::File& file, Sequential& model, const std::string& path);

/// True when `file` has the Keras 2 layout (`layer_names` at its root or in `model_weights`)
/// rather than Keras 3's (`layers/.../vars`).
[[nodiscard]] bool is_legacy_h5_weights(const hdf5::File& file);

}  // namespace keras::io
