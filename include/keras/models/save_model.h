// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

#include <string>

namespace keras::models {

/// Writes `model` as Keras 3 writes a `.keras` file (metadata.json, config.json,
/// model.weights.h5), so that Python's `keras.saving.load_model` opens it; a compiled model's
/// config.json holds its compile_config and model.weights.h5 its optimizer's state (step
/// count, learning rate, slots), as Keras writes them. Atomic: written
/// beside the target, then renamed; a failure leaves any old file untouched.
/// Throws ValueError when `path` does not end in `.keras` (Keras's message).
void save_model(const Sequential& model, const std::string& path);

/// Writes only the weights, in Keras 3's `.weights.h5` layout (`model.save_weights`), with a
/// compiled model's optimizer state, as Keras writes it there too.
void save_weights(const Sequential& model, const std::string& path);

/// Reads weights into a model of the same architecture: a `.weights.h5` (Keras 3), a
/// `.keras` file, or a Keras 2 `save_weights` / full-model `.h5` (`model.load_weights`). From a
/// Keras 3 file, a compiled model's optimizer state comes too, as in Keras, where the counts
/// match: an optimizer not yet built (compiled, never trained) skips it with Keras's warning.
void load_weights(Sequential& model, const std::string& path);

}  // namespace keras::models
