// SPDX-License-Identifier: Apache-2.0
#include "io/model_config.h"

#include "io/layer_config.h"
#include "io/layer_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace keras::io {
namespace {

// Weightless layers whose Keras 3 constructor builds them (`_build_at_init()` or
// `self.built = True`), so Keras writes no build_config for them.
constexpr std::array built_at_construction{std::string_view("Activation"),
                                           std::string_view("AveragePooling2D"),
                                           std::string_view("Dropout"),
                                           std::string_view("GlobalAveragePooling2D"),
                                           std::string_view("GlobalMaxPooling2D"),
                                           std::string_view("LeakyReLU"),
                                           std::string_view("MaxPooling2D"),
                                           std::string_view("ReLU"),
                                           std::string_view("Reshape"),
                                           std::string_view("Softmax")};

const Json& layer_list(const Json& serialized) {
  if (!serialized.is_object() || !serialized.contains("config")) {
    throw ValueError(fmt::format("A serialized model needs a \"config\", got: {}",
                                 serialized.dump().substr(0, 200)));
  }
  const Json& config = serialized["config"];
  if (config.is_array()) return config;  // Keras 2.0 wrote the layers alone
  if (config.is_object() && config.contains("layers") && config["layers"].is_array()) {
    return config["layers"];
  }
  throw ValueError("A serialized Sequential model needs a list of \"layers\" in its config");
}

}  // namespace

Json serialize_layer(const layers::Layer& layer) {
  Json serialized{{"module", "keras.layers"},
                  {"class_name", layer.class_name()},
                  {"config", layer_config(layer)},
                  {"registered_name", nullptr}};
  const bool at_construction = std::find(built_at_construction.begin(), built_at_construction.end(),
                                         layer.class_name()) != built_at_construction.end();
  if (layer.built() && layer.build_input_shape() && !at_construction &&
      layer.class_name() != "InputLayer") {
    serialized["build_config"] = {{"input_shape", shape_json(*layer.build_input_shape())}};
  }
  return serialized;
}

Json sequential_config(const Sequential& model) {
  Json layers = Json::array();
  for (const auto& layer : model.layers_with_input()) layers.push_back(serialize_layer(*layer));
  Json config{{"name", model.name()},
              {"trainable", true},
              {"dtype",
               {{"module", "keras"},
                {"class_name", "DTypePolicy"},
                {"config", {{"name", "float32"}}},
                {"registered_name", nullptr}}},
              {"layers", std::move(layers)}};
  Json serialized{{"module", "keras"},
                  {"class_name", "Sequential"},
                  {"config", std::move(config)},
                  {"registered_name", nullptr}};
  if (model.built()) {
    const Json input_shape = shape_json(model.input_shape());
    serialized["config"]["build_input_shape"] = input_shape;
    serialized["build_config"] = {{"input_shape", input_shape}};
  }
  return serialized;
}

Sequential sequential_from_config(const Json& serialized) {
  const std::string class_name = serialized.value("class_name", "");
  if (class_name != "Sequential") {
    throw NotImplementedError(fmt::format(
        "Cannot rebuild a model of class '{}': kerascpp rebuilds Sequential models", class_name));
  }
  const Json& layers = layer_list(serialized);  // first: it checks that there is a config
  const Json& config = serialized["config"];
  Sequential model(config.is_object() ? config.value("name", "") : "");
  for (const Json& layer : layers) model.add(layer_from_json(layer));
  if (!model.built() && config.is_object() && config.contains("build_input_shape") &&
      config["build_input_shape"].is_array()) {
    ConfigReader reader(config, "Sequential");
    model.build(*reader.shape("build_input_shape"));
  }
  return model;
}

}  // namespace keras::io
