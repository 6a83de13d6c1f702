// SPDX-License-Identifier: Apache-2.0
// Legacy Keras 2 / tf.keras `.h5` files (keras-spec.md 5.3): the model config in the root
// attribute `model_config`, the weights in `/model_weights` (or, for `save_weights`, at the
// root), matched to the model's layers by position as Keras 2's
// load_weights_from_hdf5_group does.
#include "io/legacy_h5.h"

#include "detail/loaded_weights.h"
#include "io/compile_config.h"
#include "io/functional_chain.h"
#include "io/hdf5_file.h"
#include "io/model_config.h"
#include "io/optimizer_state.h"
#include "io/weight_assignments.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <optional>

namespace keras::io {
namespace {

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw FileError(path, fmt::format("Cannot load weights from '{}': {}", path, what));
}

std::string optional_attribute(const hdf5::Group& group, std::string_view name) {
  return group.has_attribute(name) ? group.string_attribute(name) : std::string();
}

// A layer group of the file that lists weights.
struct SavedLayer {
  std::string name;
  hdf5::Group group;
  std::vector<std::string> weight_names;
};

// Weight conversions Keras 2 applied to older files, which kerascpp does not repeat.
void check_writer(const hdf5::Group& group, const std::vector<layers::Layer*>& layers,
                  const std::string& path) {
  const std::string version = optional_attribute(group, "keras_version");
  if (version.starts_with("1")) {
    throw NotImplementedError(fmt::format(
        "Cannot load weights from '{}': it was written by Keras {}, whose weight layouts Keras 2 "
        "converts on loading; kerascpp reads files written by Keras 2 and later",
        path, version));
  }
  if (optional_attribute(group, "backend") != "theano") return;
  for (const layers::Layer* layer : layers) {
    if (layer->class_name() == "Conv2D") {
      throw NotImplementedError(fmt::format(
          "Cannot load weights from '{}': it was written with the Theano backend, whose "
          "convolution kernels Keras flips on loading (layer '{}'); kerascpp does not convert them",
          path, layer->name()));
    }
  }
}

std::vector<SavedLayer> saved_layers_with_weights(const hdf5::Group& group) {
  std::vector<SavedLayer> saved;
  for (const std::string& name : group.string_list_attribute("layer_names")) {
    hdf5::Group layer_group = group.group(name);
    // Keras reads a missing `weight_names` as an empty list.
    std::vector<std::string> weight_names = layer_group.has_attribute("weight_names")
                                                ? layer_group.string_list_attribute("weight_names")
                                                : std::vector<std::string>{};
    if (!weight_names.empty())
      saved.push_back({name, std::move(layer_group), std::move(weight_names)});
  }
  return saved;
}

// Keras 2's load_weights_from_hdf5_group, up to the assignments (weight_assignments.h).
std::vector<Assignment> checked_assignments(const hdf5::Group& group, Sequential& model,
                                            const std::string& path) {
  if (!model.built()) {
    throw ValueError(fmt::format(
        "Cannot load weights from '{}' into model '{}': the model is not built, so its layers "
        "have no weights yet; give it an input shape first",
        path, model.name()));
  }
  std::vector<layers::Layer*> with_weights;
  for (const auto& layer : model.layers()) {
    if (!layer->weights().empty()) with_weights.push_back(layer.get());
  }
  check_writer(group, with_weights, path);
  const std::vector<SavedLayer> saved = saved_layers_with_weights(group);
  if (saved.size() != with_weights.size()) {
    fail(path, fmt::format("Layer count mismatch when loading weights from file. Model expected "
                           "{} layers, found {} saved layers.",
                           with_weights.size(), saved.size()));
  }

  std::vector<Assignment> assignments;
  for (std::size_t k = 0; k < saved.size(); ++k) {
    const layers::Layer& layer = *with_weights[k];
    const std::vector<Variable> variables = layer.weights();
    if (variables.size() != saved[k].weight_names.size()) {
      fail(path, fmt::format("Weight count mismatch for layer #{} (named {} in the current model, "
                             "{} in the save file). Layer expects {} weight(s). Received {} "
                             "saved weight(s)",
                             k, layer.name(), saved[k].name, variables.size(),
                             saved[k].weight_names.size()));
    }
    for (std::size_t i = 0; i < variables.size(); ++i) {
      Tensor value = saved[k].group.read_float32(saved[k].weight_names[i]);
      if (value.shape() != variables[i].value().shape()) {
        fail(path, fmt::format("Shape mismatch in layer #{} (named {}) for weight {}. Weight "
                               "expects shape {}. Received saved weight with shape {} ('{}')",
                               k, layer.name(), variables[i].path(),
                               Shape::of(variables[i].value().shape()).to_string(),
                               Shape::of(value.shape()).to_string(),
                               saved[k].group.child_path(saved[k].weight_names[i])));
      }
      assignments.push_back({variables[i], std::move(value)});
    }
  }
  // Keras 3's legacy writer adds the model's own weights; a Sequential has none.
  if (group.has_group("top_level_model_weights")) {
    const hdf5::Group top = group.group("top_level_model_weights");
    const std::size_t count =
        top.has_attribute("weight_names") ? top.string_list_attribute("weight_names").size() : 0;
    if (count != 0) {
      fail(path, fmt::format("Weight count mismatch for top-level weights when loading weights "
                             "from file. Model expects 0 top-level weight(s). Received {} saved "
                             "top-level weight(s)",
                             count));
    }
  }
  return assignments;
}

Sequential model_from_h5_config(const std::string& text, const std::string& path) {
  try {
    return sequential_from_config(
        sequential_config_of(parse_json(text, fmt::format("the model_config of '{}'", path))));
  } catch (const NotImplementedError& error) {
    throw NotImplementedError(fmt::format("Cannot load model from '{}': {}", path, error.what()));
  } catch (const ValueError& error) {
    throw FileError(path, fmt::format("Cannot load model from '{}': {}", path, error.what()));
  }
}

// The root's training_config text, when there is one; one that does not read as a string
// leaves the model uncompiled, with the warning that says why.
std::optional<std::string> training_config_of(const hdf5::Group& root, const std::string& path) {
  try {
    if (root.has_attribute("training_config")) return root.string_attribute("training_config");
  } catch (const FileError& error) {
    warn_uncompiled(path, error);
  }
  return std::nullopt;
}

}  // namespace

Sequential load_legacy_h5_model(const std::string& path, const models::LoadOptions& options) {
  hdf5::File file = hdf5::File::open_read(path);
  const hdf5::Group& root = file.root();
  if (!root.has_attribute("model_config")) {
    throw FileError(path, fmt::format("Cannot load model from '{}': it has no 'model_config' "
                                      "attribute, so it holds weights only (Keras's "
                                      "save_weights); load them into a model of the same "
                                      "architecture with load_weights",
                                      path));
  }
  const std::string config = root.string_attribute("model_config");
  Sequential model = [&] {
    const detail::WeightsFromFile weights_follow;
    return model_from_h5_config(config, path);
  }();
  if (options.compile) {
    if (const std::optional<std::string> training_config = training_config_of(root, path)) {
      compile_as_saved_text(model, *training_config, SavedCompileFormat::legacy, path);
    }
  }
  std::vector<Assignment> weights = checked_assignments(root.group("model_weights"), model, path);
  std::optional<OptimizerState> optimizer_state;
  if (model.compiled()) {
    optimizer_state = read_legacy_optimizer_state(root, model.optimizer(), path);
  }
  assign_all(file, std::move(weights), std::move(optimizer_state));
  return model;
}

void load_legacy_h5_weights(const std::string& path, Sequential& model) {
  hdf5::File file = hdf5::File::open_read(path);
  load_legacy_h5_weights(file, model, path);
}

void load_legacy_h5_weights(hdf5::File& file, Sequential& model, const std::string& path) {
  const hdf5::Group& root = file.root();
  if (root.has_attribute("layer_names")) {
    assign_all(file, checked_assignments(root, model, path));
  } else if (root.has_group("model_weights")) {
    assign_all(file, checked_assignments(root.group("model_weights"), model, path));
  } else {
    fail(path,
         "it has neither a 'layer_names' attribute nor a 'model_weights' group (it is not "
         "a Keras 2 weights file)");
  }
}

bool is_legacy_h5_weights(const hdf5::File& file) {
  try {
    const hdf5::Group& root = file.root();
    if (root.has_attribute("layer_names")) return true;
    return root.has_group("model_weights") &&
           root.group("model_weights").has_attribute("layer_names");
  } catch (const FileError&) {
    return false;
  }
}

}  // namespace keras::io
