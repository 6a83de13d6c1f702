// SPDX-License-Identifier: Apache-2.0
#include "io/keras_archive.h"

#include "detail/loaded_weights.h"
#include "io/atomic_file.h"
#include "io/compile_config.h"
#include "io/keras3_weights.h"
#include "io/model_config.h"
#include "io/zip_archive.h"

#include <fmt/format.h>

#include <ctime>

namespace keras::io {
namespace {

// Member names and order of saving_lib.py (_METADATA_FILENAME, _CONFIG_FILENAME,
// _VARS_FNAME + ".h5").
constexpr const char* metadata_member = "metadata.json";
constexpr const char* config_member = "config.json";
constexpr const char* weights_member = "model.weights.h5";
constexpr const char* npz_weights_member = "model.weights.npz";
// config.json of even a very large Sequential is a few hundred kilobytes.
constexpr std::uint64_t max_config_bytes = std::uint64_t{64} << 20;
// The weights are read into memory once, as the model holds them: the archive's own size and
// the machine's memory bound them.
std::uint64_t max_weights_bytes() {
  const std::uint64_t memory = physical_memory_bytes();
  return memory == 0 ? UINT64_MAX : memory;
}

Json config_member_of(const ZipReader& archive) {
  const std::string& path = archive.path();
  const std::string text = archive.read(config_member, max_config_bytes);
  try {
    return parse_json(text, fmt::format("{}:{}", path, config_member));
  } catch (const ValueError& error) {
    throw FileError(path, error.what());
  }
}

Sequential model_from_config(const Json& config, const std::string& path) {
  // A config kerascpp cannot rebuild keeps its error class; the message gains the file.
  try {
    return sequential_from_config(config);
  } catch (const NotImplementedError& error) {
    throw NotImplementedError(fmt::format("Cannot load model from '{}': {}", path, error.what()));
  } catch (const ValueError& error) {
    throw FileError(path, fmt::format("Cannot load model from '{}': {}", path, error.what()));
  }
}

void load_weights_member(const ZipReader& archive, Sequential& model) {
  const std::string& path = archive.path();
  if (!archive.contains(weights_member)) {
    if (archive.contains(npz_weights_member)) {
      throw NotImplementedError(fmt::format(
          "Cannot load model from '{}': its weights are in model.weights.npz (Keras's "
          "weights_format=\"npz\"), "
          "which kerascpp does not read; save the model with the default weights_format=\"h5\"",
          path));
    }
    // Keras: saving_lib._load_model_from_fileobj.
    throw FileError(path, fmt::format("Cannot load model from '{}': Expected a model.weights.h5 or "
                                      "model.weights.npz file.",
                                      path));
  }
  const std::string shown = fmt::format("{}:{}", path, weights_member);
  load_keras3_weights(
      hdf5::File::open_image(archive.read_image(weights_member, max_weights_bytes()), shown), model,
      shown);
}

std::string metadata_json() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d@%H:%M:%S", &local);
  return python_json_dumps(
      Json{{"keras_version", std::string(keras_archive_version)}, {"date_saved", date}});
}

void dump_to(const Json& value, std::string& out) {
  if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ", ";
      first = false;
      out += Json(key).dump(-1, ' ', true);
      out += ": ";
      dump_to(item, out);
    }
    out += '}';
  } else if (value.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out += ", ";
      dump_to(value[i], out);
    }
    out += ']';
  } else {
    out += value.dump(-1, ' ', true);
  }
}

}  // namespace

Sequential load_keras_archive(const std::string& path, const models::LoadOptions& options) {
  const ZipReader archive(path);
  const Json config = config_member_of(archive);
  Sequential model = [&] {
    const detail::WeightsFromFile weights_follow;
    return model_from_config(config, path);
  }();
  // Compiled first, as Keras does (saving_lib), so that the weights file's optimizer state
  // has an optimizer to go to.
  if (options.compile && config.is_object() && config.contains("compile_config")) {
    compile_as_saved(model, config["compile_config"], SavedCompileFormat::keras3, path);
  }
  load_weights_member(archive, model);
  return model;
}

void load_keras_archive_weights(const std::string& path, Sequential& model) {
  load_weights_member(ZipReader(path), model);
}

void save_keras_archive(const Sequential& model, const std::string& path) {
  AtomicFile file(path);
  const ScratchFile weights(weights_member);
  {
    ZipWriter archive(file.temporary());
    archive.add_bytes(metadata_member, metadata_json());
    Json config = sequential_config(model);
    if (std::optional<Json> compile_config = compile_config_of(model)) {
      config["compile_config"] = *std::move(compile_config);
    }
    archive.add_bytes(config_member, python_json_dumps(config));
    save_keras3_weights(model, weights.path());
    archive.add_file(weights_member, weights.path());
    archive.close();
  }
  file.commit();
}

std::string python_json_dumps(const Json& value) {
  std::string out;
  dump_to(value, out);
  return out;
}

}  // namespace keras::io
