// SPDX-License-Identifier: Apache-2.0
#include "keras/models/load_model.h"

#include "detail/loaded_weights.h"
#include "io/file_kind.h"
#include "io/json.h"
#include "io/keras_archive.h"
#include "io/legacy_h5.h"
#include "io/tfjs_model.h"
#include "keras/error.h"
#include "keras/models/model_from_json.h"
#include "keras/models/save_model.h"

#include <fmt/format.h>

namespace keras::models {
namespace {

std::string first_bytes(const std::string& bytes) {
  return bytes.empty() ? "the file is empty"
                       : fmt::format("it starts with {}", io::bytes_repr(bytes));
}

[[noreturn]] void throw_not_a_model(const std::string& path, const std::string& bytes) {
  throw FileError(
      path, fmt::format("Cannot load model from '{}': not a Keras model file ({}); kerascpp loads "
                        "Keras 3 .keras archives, legacy Keras .h5 files and "
                        "TensorFlow.js model.json files",
                        path, first_bytes(bytes)));
}

// A JSON file is a TF.js model when it has a modelTopology; a bare architecture (to_json(),
// config.json) has no weights, which the two-file load_model supplies.
Sequential load_json_model(const std::string& path, const std::string& bytes,
                           const LoadOptions& options) {
  io::Json json;
  try {
    json = io::parse_json(io::read_text_file(path), path);
  } catch (const ValueError& error) {
    throw FileError(path, error.what());
  }
  if (json.contains("modelTopology")) return io::load_tfjs_model(path, options);
  if (json.contains("class_name") || json.contains("model_config")) {
    throw FileError(
        path, fmt::format("Cannot load model from '{}': it holds a model architecture without "
                          "weights; load it with its weights file, "
                          "keras::models::load_model(architecture_path, weights_path) "
                          "or the kerascpp command line's --weights option",
                          path));
  }
  throw_not_a_model(path, bytes);
}

}  // namespace

Sequential load_model(const std::string& path, const LoadOptions& options) {
  const io::FileHead head = io::sniff_file(path);
  switch (head.kind) {
    case io::FileKind::zip:
      return io::load_keras_archive(path, options);
    case io::FileKind::hdf5:
      return io::load_legacy_h5_model(path, options);
    case io::FileKind::json:
      return load_json_model(path, head.bytes, options);
    case io::FileKind::other:
      break;
  }
  throw_not_a_model(path, head.bytes);
}

Sequential load_model(const std::string& architecture_path, const std::string& weights_path) {
  const io::FileHead head = io::sniff_file(architecture_path);
  if (head.kind != io::FileKind::json) {
    throw FileError(
        architecture_path,
        fmt::format("Cannot load model from '{}': an architecture file is JSON (Keras's "
                    "model.to_json() or a .keras file's config.json), but {}",
                    architecture_path, first_bytes(head.bytes)));
  }
  Sequential model = [&] {
    const detail::WeightsFromFile weights_follow;
    try {
      return model_from_json(io::read_text_file(architecture_path));
    } catch (const NotImplementedError& error) {
      throw NotImplementedError(
          fmt::format("Cannot load model from '{}': {}", architecture_path, error.what()));
    } catch (const ValueError& error) {
      throw FileError(architecture_path, fmt::format("Cannot load model from '{}': {}",
                                                     architecture_path, error.what()));
    }
  }();
  load_weights(model, weights_path);
  return model;
}

}  // namespace keras::models
