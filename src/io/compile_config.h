// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/error.h"
#include "keras/sequential.h"

#include <optional>
#include <string>

namespace keras::io {

/// Where a Keras file keeps the arguments its model was compiled with.
enum class SavedCompileFormat {
  keras3,  // a `.keras` archive's config.json, key "compile_config"
  legacy,  // a legacy `.h5` file's root attribute "training_config" (Keras 2, tf.keras)
};

/// The arguments compile() takes, read from what a Keras file saved: the optimizer (its class
/// and config), the loss and the metrics; nothing when the model was saved uncompiled or
/// without a loss. A legacy file's optimizer is read as tf.keras read it: Keras 2's `lr` as
/// `learning_rate`, TF 2.11-2.15's `Custom>Adam` as Adam (Keras 3 refuses both). Metric objects
/// become the class (or the function a MeanMetricWrapper wraps) they name, and every metric
/// name is checked now. Throws ValueError or NotImplementedError naming what kerascpp cannot
/// restore: an optimizer, loss or metric it lacks, loss weights, weighted metrics, several
/// outputs.
[[nodiscard]] std::optional<CompileOptions> saved_compile_options(const Json& saved,
                                                                  SavedCompileFormat format);

/// What Keras 3 writes as a `.keras` archive's `compile_config` for `model`, in Keras's key
/// order; nothing when it is not compiled. The loss is written as its object (Keras reads
/// either), metric objects as theirs, metric names as given. The optimizer's state goes to the
/// weights file (io/keras3_weights.h).
[[nodiscard]] std::optional<Json> compile_config_of(const Sequential& model);

/// Compiles `model` as the file at `path` saved it, like Keras's `compile_from_config`: the
/// optimizer is built for a built model's trainable weights, so that the state the file saved
/// can be read into it (io/optimizer_state.h). A model whose
/// compile arguments kerascpp cannot restore stays uncompiled, with a warning on standard error
/// that says why, where Keras would refuse to load it (unless told compile=False).
void compile_as_saved(Sequential& model, const Json& saved, SavedCompileFormat format,
                      const std::string& path);
/// The same from the saved arguments' JSON text.
void compile_as_saved_text(Sequential& model, const std::string& saved_text,
                           SavedCompileFormat format, const std::string& path);

/// Says on standard error that the model in `path` was saved compiled but loads uncompiled,
/// and why.
void warn_uncompiled(const std::string& path, const Error& error);

}  // namespace keras::io
