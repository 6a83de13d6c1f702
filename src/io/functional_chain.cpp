// SPDX-License-Identifier: Apache-2.0
#include "io/functional_chain.h"

#include "keras/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace keras::io {
namespace {

// One tensor a layer is called on: output `tensor` of call `node` of layer `layer`.
struct TensorRef {
  std::string layer;
  std::int64_t node = 0;
  std::int64_t tensor = 0;
};

// One call of a layer: the tensors it takes and its keyword arguments other than null ones.
struct LayerCall {
  std::vector<TensorRef> inputs;
  std::vector<std::string> keywords;
};

class ChainReader {
 public:
  explicit ChainReader(std::string model_name) : model_name_(std::move(model_name)) {}

  [[noreturn]] void not_a_chain(std::string_view why) const {
    throw NotImplementedError(fmt::format(
        "Functional model '{}' is not a single chain of layers: {}. kerascpp loads Functional "
        "models whose layers form one chain, as a Sequential",
        model_name_, why));
  }
  [[noreturn]] void unreadable(std::string_view what) const {
    throw ValueError(fmt::format("Functional model '{}' has {}", model_name_, what));
  }

  // Keras 2's `["name", node, tensor, {kwargs}]`, Keras 3's keras_history `["name", node, tensor]`.
  [[nodiscard]] TensorRef ref(const Json& entry) const {
    if (!entry.is_array() || entry.empty() || !entry[0].is_string()) {
      unreadable(fmt::format("a tensor reference kerascpp cannot read: {}", entry.dump()));
    }
    return {entry[0].get<std::string>(), index(entry, 1), index(entry, 2)};
  }

  [[nodiscard]] std::vector<LayerCall> calls(const Json& layer) const {
    std::vector<LayerCall> calls;
    for (const Json& node : layer.value("inbound_nodes", Json::array())) {
      LayerCall call;
      if (node.is_object()) {  // Keras 3: {"args": [...], "kwargs": {...}}
        keras3_refs(node.value("args", Json::array()), call.inputs);
        keywords(node.value("kwargs", Json::object()), call);
      } else if (node.is_array()) {  // Keras 2: a list of inbound tensors
        for (const Json& entry : node) {
          call.inputs.push_back(ref(entry));
          if (entry.size() > 3) keywords(entry[3], call);
        }
      } else {
        unreadable(fmt::format("an inbound node kerascpp cannot read: {}", node.dump()));
      }
      calls.push_back(std::move(call));
    }
    return calls;
  }

  // `input_layers` / `output_layers`: [["name", 0, 0], ...], or Keras 3's single ["name", 0, 0].
  [[nodiscard]] std::vector<TensorRef> endpoints(const Json& config, const char* key) const {
    const Json list = config.value(key, Json::array());
    if (!list.is_array()) unreadable(fmt::format("a \"{}\" that is not a list", key));
    if (!list.empty() && list[0].is_string()) return {ref(list)};
    std::vector<TensorRef> refs;
    for (const Json& entry : list) refs.push_back(ref(entry));
    return refs;
  }

 private:
  static std::int64_t index(const Json& list, std::size_t position) {
    return list.size() > position && list[position].is_number_integer()
               ? list[position].get<std::int64_t>()
               : 0;
  }
  void keras3_refs(const Json& value, std::vector<TensorRef>& refs) const {
    if (value.is_array()) {
      for (const Json& item : value) keras3_refs(item, refs);
    } else if (value.is_object() && value.value("class_name", "") == "__keras_tensor__") {
      refs.push_back(ref(value.value("config", Json::object()).value("keras_history", Json())));
    }
  }
  static void keywords(const Json& kwargs, LayerCall& call) {
    if (!kwargs.is_object()) return;
    for (const auto& [key, value] : kwargs.items()) {
      if (!value.is_null()) call.keywords.push_back(key);
    }
  }

  std::string model_name_;
};

std::string layer_name(const Json& layer) {
  if (layer.contains("name") && layer["name"].is_string()) return layer["name"].get<std::string>();
  return layer.value("config", Json::object()).value("name", "");
}

}  // namespace

Json sequential_config_of(const Json& serialized) {
  const std::string class_name = serialized.is_object() ? serialized.value("class_name", "") : "";
  if (class_name != "Functional" && class_name != "Model") return serialized;
  const Json config = serialized.value("config", Json::object());
  if (!config.is_object() || !config.contains("layers") || !config["layers"].is_array()) {
    throw ValueError("A serialized Functional model needs a list of \"layers\" in its config");
  }
  const ChainReader reader(config.value("name", ""));
  const Json& layers = config["layers"];

  const std::vector<TensorRef> inputs = reader.endpoints(config, "input_layers");
  const std::vector<TensorRef> outputs = reader.endpoints(config, "output_layers");
  if (inputs.size() != 1 || outputs.size() != 1) {
    reader.not_a_chain(
        fmt::format("it has {} inputs and {} outputs", inputs.size(), outputs.size()));
  }

  // Each layer but the input takes exactly one tensor, once, with no keyword arguments.
  std::map<std::string, const Json*> by_name;
  std::map<std::string, TensorRef> source;
  for (const Json& layer : layers) by_name[layer_name(layer)] = &layer;
  for (const Json& layer : layers) {
    const std::string name = layer_name(layer);
    const std::vector<LayerCall> calls = reader.calls(layer);
    if (name == inputs.front().layer && calls.empty()) continue;
    if (calls.size() != 1) {
      reader.not_a_chain(fmt::format("layer '{}' is called {} times", name, calls.size()));
    }
    const LayerCall& call = calls.front();
    if (call.inputs.size() != 1) {
      reader.not_a_chain(fmt::format("layer '{}' takes {} inputs", name, call.inputs.size()));
    }
    if (!call.keywords.empty()) {
      reader.not_a_chain(fmt::format("layer '{}' is called with keyword arguments ({})", name,
                                     fmt::join(call.keywords, ", ")));
    }
    const TensorRef& input = call.inputs.front();
    if (by_name.count(input.layer) == 0) {
      throw ValueError(
          fmt::format("Functional model '{}' refers to layer '{}', which is not one of its layers",
                      config.value("name", ""), input.layer));
    }
    if (input.node != 0 || input.tensor != 0) {
      reader.not_a_chain(fmt::format("layer '{}' takes output {} of call {} of layer '{}'", name,
                                     input.tensor, input.node, input.layer));
    }
    source[name] = input;
  }
  for (const TensorRef& endpoint : {inputs.front(), outputs.front()}) {
    if (by_name.count(endpoint.layer) == 0) {
      throw ValueError(
          fmt::format("Functional model '{}' refers to layer '{}', which is not one of its layers",
                      config.value("name", ""), endpoint.layer));
    }
  }
  const Json& input_layer = *by_name[inputs.front().layer];
  if (input_layer.value("class_name", "") != "InputLayer") {
    reader.not_a_chain(fmt::format("its input '{}' is a {}, not an InputLayer",
                                   inputs.front().layer, input_layer.value("class_name", "")));
  }

  // Walk back from the output to the input; every layer must be on that path.
  std::vector<std::string> path{outputs.front().layer};
  std::set<std::string> on_path{path.back()};
  while (path.back() != inputs.front().layer) {
    const auto it = source.find(path.back());
    if (it == source.end() || !on_path.insert(it->second.layer).second) {
      reader.not_a_chain(fmt::format("layer '{}' is not connected to the input", path.back()));
    }
    path.push_back(it->second.layer);
  }
  for (const Json& layer : layers) {
    if (on_path.count(layer_name(layer)) == 0) {
      reader.not_a_chain(fmt::format("layer '{}' is not on the path from the input to the output",
                                     layer_name(layer)));
    }
  }

  Json sequential_layers = Json::array();
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    Json entry = *by_name[*it];
    entry.erase("name");
    entry.erase("inbound_nodes");
    sequential_layers.push_back(std::move(entry));
  }
  return Json{{"class_name", "Sequential"},
              {"config", {{"name", config.value("name", "")}, {"layers", sequential_layers}}}};
}

}  // namespace keras::io
