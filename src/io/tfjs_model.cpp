// SPDX-License-Identifier: Apache-2.0
// TF.js layers format (keras-spec.md 5.4): model.json holds the Keras topology and a
// weightsManifest. Weights are matched to layers by name, as TF.js does: the manifest lists
// trainable weights before non-trainable ones, so its order is not Keras's.
#include "io/tfjs_model.h"

#include "detail/loaded_weights.h"
#include "io/compile_config.h"
#include "io/functional_chain.h"
#include "io/model_config.h"
#include "io/tfjs_weights.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace keras::io {
namespace {

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw FileError(path, fmt::format("Cannot read TF.js model '{}': {}", path, what));
}

Json read_model_json(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) fail(path, "the file cannot be opened");
  std::ostringstream text;
  text << file.rdbuf();
  Json model_json;
  try {
    model_json = parse_json(text.str(), fmt::format("TF.js model '{}'", path));
  } catch (const ValueError& error) {
    throw FileError(path, error.what());
  }
  for (const char* key : {"modelTopology", "weightsManifest"}) {
    if (!model_json.is_object() || !model_json.contains(key) || model_json[key].is_null()) {
      fail(path, fmt::format("it has no \"{}\"", key));
    }
  }
  return model_json;
}

// The Python converter wraps the Keras config under "model_config" (with keras_version and
// backend); tfjs's own save() puts class_name and config at the top of modelTopology.
Sequential rebuild(const Json& topology, const std::string& path) {
  const Json& config = topology.contains("model_config") ? topology["model_config"] : topology;
  if (!config.is_object() || !config.contains("config")) {
    fail(path, "its \"modelTopology\" holds no model config (\"class_name\" and \"config\")");
  }
  try {
    return sequential_from_config(sequential_config_of(config));
  } catch (const ValueError& error) {
    fail(path, error.what());
  }
}

std::vector<std::string> weight_names(const layers::Layer& layer) {
  std::vector<std::string> names;
  for (const Variable& weight : layer.weights()) names.push_back(weight.name());
  return names;
}

// `dense/kernel` -> layer "dense"; a scoped name (`model/dense/kernel`) falls back to the
// component before the weight's own name.
layers::Layer* owner(const std::map<std::string, layers::Layer*>& by_name,
                     const std::string& weight) {
  const auto slash = weight.rfind('/');
  if (slash == std::string::npos) return nullptr;
  const std::string scope = weight.substr(0, slash);
  if (const auto found = by_name.find(scope); found != by_name.end()) return found->second;
  const auto inner = scope.rfind('/');
  if (inner == std::string::npos) return nullptr;
  const auto found = by_name.find(scope.substr(inner + 1));
  return found == by_name.end() ? nullptr : found->second;
}

void assign_by_name(Sequential& model, const std::vector<TfjsWeight>& weights,
                    const std::string& path) {
  std::map<std::string, layers::Layer*> by_name;
  std::vector<std::string> with_weights;
  for (const auto& layer : model.layers()) {
    by_name.emplace(layer->name(), layer.get());
    if (!layer->weights().empty()) with_weights.push_back(layer->name());
  }
  std::set<std::string> assigned;  // variable paths
  for (const TfjsWeight& weight : weights) {
    layers::Layer* layer = owner(by_name, weight.name);
    if (layer == nullptr) {
      fail(path, fmt::format("weight '{}' matches no layer of the model (its layers with weights: "
                             "[{}])",
                             weight.name, fmt::join(with_weights, ", ")));
    }
    const std::string own_name = weight.name.substr(weight.name.rfind('/') + 1);
    auto variables = layer->weights();
    const auto variable = std::find_if(variables.begin(), variables.end(),
                                       [&](const Variable& v) { return v.name() == own_name; });
    if (variable == variables.end()) {
      fail(path, fmt::format("weight '{}' matches no weight of layer '{}' (its weights: [{}])",
                             weight.name, layer->name(), fmt::join(weight_names(*layer), ", ")));
    }
    if (!assigned.insert(variable->path()).second) {
      fail(path, fmt::format("weight '{}' appears twice in the weightsManifest", weight.name));
    }
    if (variable->value().shape() != weight.value.shape()) {
      fail(path, fmt::format("weight '{}' has shape {} in the file, but layer '{}' expects {}",
                             weight.name, Shape::of(weight.value.shape()).to_string(),
                             layer->name(), Shape::of(variable->value().shape()).to_string()));
    }
    variable->assign(weight.value);
  }
  for (const auto& layer : model.layers()) {
    for (const Variable& variable : layer->weights()) {
      if (!assigned.contains(variable.path())) {
        fail(path, fmt::format("layer '{}' gets no value for its weight '{}' from the "
                               "weightsManifest",
                               layer->name(), variable.name()));
      }
    }
  }
}

}  // namespace

Sequential load_tfjs_model(const std::string& model_json_path, const models::LoadOptions& options) {
  const Json model_json = read_model_json(model_json_path);
  Sequential model = [&] {
    const detail::WeightsFromFile weights_follow;
    return rebuild(model_json["modelTopology"], model_json_path);
  }();
  if (!model.built()) {
    fail(model_json_path,
         "its first layer has no \"batch_input_shape\", so the weights cannot be created");
  }
  assign_by_name(model, read_tfjs_weights(model_json["weightsManifest"], model_json_path),
                 model_json_path);
  // TF.js reads a saved compile from "trainingConfig"; its converter keeps the Keras file's
  // training_config in the topology instead. Both hold Keras's legacy form (a TF.js name that
  // Keras does not use leaves the model uncompiled, with the warning that names it).
  if (!options.compile) return model;
  const Json& topology = model_json["modelTopology"];
  if (model_json.contains("trainingConfig")) {
    compile_as_saved(model, model_json["trainingConfig"], SavedCompileFormat::legacy,
                     model_json_path);
  } else if (topology.is_object() && topology.contains("training_config")) {
    compile_as_saved(model, topology["training_config"], SavedCompileFormat::legacy,
                     model_json_path);
  }
  return model;
}

}  // namespace keras::io
