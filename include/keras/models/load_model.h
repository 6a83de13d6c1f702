// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

#include <string>

namespace keras::models {

/// load_model's keyword arguments.
struct LoadOptions {
  /// Compile the model as it was saved, with its optimizer's state (Keras's `compile=True`);
  /// false loads it uncompiled and leaves the optimizer's state unread, as an inference
  /// deployment wants (less to read and to keep).
  bool compile = true;
};

/// Loads a model saved by Keras, recognising the format by content, not by extension:
/// Keras 3 `.keras` (zip), legacy Keras 2 / tf.keras full-model `.h5`, or a TensorFlow.js
/// `model.json` (shards beside it). Functional models whose layers form a single chain load
/// as the same Sequential computation. Throws FileError naming the file and what is wrong,
/// NotImplementedError naming a layer kerascpp cannot run. A model Keras saved compiled
/// (a `.keras` archive's `compile_config`, a legacy `.h5` file's `training_config`, a
/// TF.js model.json's `trainingConfig` or converted Keras `training_config`) comes back
/// compiled with the same optimizer, loss and metrics, and with the optimizer's state (step
/// count, learning rate, moments) as Keras restores it, so that training resumes where it
/// stopped; a state Keras 3 would not take (another variable count: a Keras 2 optimizer, one
/// saved before its first step) is skipped with Keras's warning on standard error, and the
/// optimizer starts afresh. What kerascpp cannot compile leaves the
/// model uncompiled, with a warning on standard error.
/// (Python: `keras.models.load_model(path, compile=...)`.)
[[nodiscard]] Sequential load_model(const std::string& path, const LoadOptions& options = {});

/// The two-file form: an architecture JSON (Keras 2 `model.to_json()` or Keras 3
/// `config.json`) and a weights file (Keras 2 `save_weights` `.h5` or Keras 3 `.weights.h5`).
[[nodiscard]] Sequential load_model(const std::string& architecture_path,
                                    const std::string& weights_path);

}  // namespace keras::models
