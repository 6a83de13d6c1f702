// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/models/load_model.h"
#include "keras/sequential.h"

#include <string>
#include <string_view>

namespace keras::io {

/// The Keras release whose `.keras` format kerascpp writes (metadata.json's keras_version).
inline constexpr std::string_view keras_archive_version = "3.10.0";

/// A Keras 3 `.keras` archive: the model from config.json, then its weights from
/// model.weights.h5. Throws FileError naming the file and what is wrong,
/// NotImplementedError naming what kerascpp cannot rebuild.
[[nodiscard]] Sequential load_keras_archive(const std::string& path,
                                            const models::LoadOptions& options = {});

/// Reads the model.weights.h5 member of the archive at `path` into `model`
/// (Python: `model.load_weights("x.keras")`).
void load_keras_archive_weights(const std::string& path, Sequential& model);

/// Writes `model` as Keras 3 does: metadata.json, config.json and model.weights.h5, stored
/// uncompressed, in that order. Atomic: a failure leaves any old file at `path` untouched.
void save_keras_archive(const Sequential& model, const std::string& path);

/// `value` as Python's `json.dumps` writes it (separators ", " and ": ", non-ASCII
/// escaped), which is how Keras writes config.json and metadata.json.
[[nodiscard]] std::string python_json_dumps(const Json& value);

}  // namespace keras::io
