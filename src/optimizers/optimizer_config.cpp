// SPDX-License-Identifier: Apache-2.0
// Optimizer configs: Keras's serialised form in and out, and the optimizer for an identifier.
#include "optimizers/optimizer_config.h"

#include "detail/python_repr.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keras::optimizers {
namespace {

struct RegistryEntry {
  std::string_view identifier;  // Keras's ALL_OBJECTS_DICT key: the lowercased class name
  std::shared_ptr<Optimizer> (*from_config)(OptimizerConfigReader& config);
};

// The one table of the optimizers kerascpp implements.
constexpr RegistryEntry registry[] = {{"adam", adam_from_config},
                                      {"adamw", adamw_from_config},
                                      {"rmsprop", rmsprop_from_config},
                                      {"sgd", sgd_from_config}};

// Keras 3's other optimizer classes, lowercased: valid identifiers kerascpp lacks.
constexpr std::string_view keras_only_identifiers[] = {"adadelta",
                                                       "adafactor",
                                                       "adagrad",
                                                       "adamax",
                                                       "ftrl",
                                                       "lamb",
                                                       "lion",
                                                       "lossscaleoptimizer",
                                                       "muon",
                                                       "multioptimizer",
                                                       "nadam",
                                                       "optimizer",
                                                       "schedulefreeadamw",
                                                       "schedulefreesgd"};

// A JSON value as Python prints it in an f-string: None, True, a bare string, a number.
std::string python_text(const io::Json& value) {
  if (value.is_null()) return "None";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

io::Json optional_json(const std::optional<double>& value) {
  return value ? io::Json(*value) : io::Json(nullptr);
}

std::string lowered(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::shared_ptr<Optimizer> from_config(const std::string& class_name, const io::Json& config) {
  // Keras resolves built-in optimizers case-insensitively (optimizers/__init__.py).
  const std::string identifier = lowered(class_name);
  for (const RegistryEntry& entry : registry) {
    if (entry.identifier != identifier) continue;
    OptimizerConfigReader reader(config, class_name);
    return entry.from_config(reader);
  }
  if (std::find(std::begin(keras_only_identifiers), std::end(keras_only_identifiers), identifier) !=
      std::end(keras_only_identifiers)) {
    throw NotImplementedError(fmt::format(
        "The Keras optimizer '{}' is not implemented in kerascpp; it implements SGD, Adam, AdamW "
        "and RMSprop",
        class_name));
  }
  throw ValueError(fmt::format(
      "Could not interpret optimizer identifier: {}. Known optimizers: 'adam', 'adamw', "
      "'rmsprop', 'sgd' (Keras class names, in any case)",
      class_name));
}

}  // namespace

OptimizerConfigReader::OptimizerConfigReader(const io::Json& config, std::string class_name)
    : keys_(config), class_name_(std::move(class_name)) {}

double OptimizerConfigReader::number(std::string_view key, double fallback) {
  const io::Json* value = find(key);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_number()) throw_wrong_type(key, *value);
  return value->get<double>();
}

std::optional<double> OptimizerConfigReader::optional_number(std::string_view key,
                                                             std::optional<double> fallback) {
  const io::Json* value = find(key);
  if (value == nullptr) return fallback;
  if (value->is_null()) return std::nullopt;
  if (!value->is_number()) throw_wrong_type(key, *value);
  return value->get<double>();
}

bool OptimizerConfigReader::boolean(std::string_view key, bool fallback) {
  const io::Json* value = find(key);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_boolean()) throw_wrong_type(key, *value);
  return value->get<bool>();
}

std::string OptimizerConfigReader::string(std::string_view key, std::string fallback) {
  const io::Json* value = find(key);
  if (value == nullptr || value->is_null()) return fallback;
  if (!value->is_string()) throw_wrong_type(key, *value);
  return value->get<std::string>();
}

double OptimizerConfigReader::learning_rate(double fallback) {
  const io::Json* value = find("learning_rate");
  if (value == nullptr) return fallback;
  if (value->is_number()) return value->get<double>();
  if (value->is_object()) {
    // A serialised LearningRateSchedule (or callable): `{"class_name": "ExponentialDecay", ...}`.
    unsupported(fmt::format("learning_rate={}", python_text(value->value("class_name", *value))));
    return fallback;
  }
  // Keras 3's words (base_optimizer.py `__init__`).
  throw ValueError(fmt::format(
      "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or a "
      "callable (that takes in the current iteration value and returns the corresponding "
      "learning rate value). Received instead: learning_rate={}",
      python_text(*value)));
}

void OptimizerConfigReader::read_unsupported_base_keys() {
  if (boolean("use_ema", false)) unsupported("use_ema=True");
  // Only read with use_ema, as in Keras.
  (void)number("ema_momentum", 0.99);
  (void)optional_number("ema_overwrite_frequency", std::nullopt);
  for (const std::string_view key : {"loss_scale_factor", "gradient_accumulation_steps"}) {
    if (optional_number(key, std::nullopt)) {
      unsupported(fmt::format("{}={}", key, python_text(*find(key))));
    }
  }
  // Keras 3 warns that `decay` "is no longer supported and will be ignored", and ignores it.
  (void)find("decay");
}

void OptimizerConfigReader::finish(std::string_view name) const {
  if (const std::string unknown = keys_.unread_keys(); !unknown.empty()) {
    throw ValueError(
        fmt::format("Argument(s) not recognized by optimizer {}: {{{}}}", class_name_, unknown));
  }
  if (!unsupported_.empty()) {
    throw NotImplementedError(
        fmt::format("Optimizer '{}' ({}) uses Keras features kerascpp does not implement: {}", name,
                    class_name_, fmt::join(unsupported_, ", ")));
  }
}

void OptimizerConfigReader::throw_wrong_type(std::string_view key, const io::Json& value) const {
  throw ValueError(fmt::format("The config of optimizer {} has an invalid value for '{}': {}",
                               class_name_, key, value.dump()));
}

io::Json base_config(std::string_view name, double learning_rate, const CommonOptions& common) {
  io::Json config;
  config["name"] = name;
  config["learning_rate"] = learning_rate;
  config["weight_decay"] = optional_json(common.weight_decay);
  config["clipnorm"] = optional_json(common.clipnorm);
  config["global_clipnorm"] = optional_json(common.global_clipnorm);
  config["clipvalue"] = optional_json(common.clipvalue);
  config["use_ema"] = false;
  config["ema_momentum"] = 0.99;
  config["ema_overwrite_frequency"] = nullptr;
  config["loss_scale_factor"] = nullptr;
  config["gradient_accumulation_steps"] = nullptr;
  return config;
}

std::string python_optional_float(const std::optional<double>& value) {
  return value ? detail::python_float(*value) : "None";
}

std::shared_ptr<Optimizer> get(std::string_view identifier) {
  return from_config(std::string(identifier), io::Json::object());
}

std::shared_ptr<Optimizer> deserialize(std::string_view json) {
  const io::Json serialized = io::parse_json(json, "optimizer config");
  if (!serialized.is_object() || !serialized.contains("class_name") ||
      !serialized["class_name"].is_string()) {
    throw ValueError(
        fmt::format("Could not interpret optimizer identifier: {}", serialized.dump()));
  }
  const io::Json config = serialized.value("config", io::Json::object());
  if (!config.is_object()) {
    throw ValueError(fmt::format("The config of optimizer {} must be an object. Received: {}",
                                 serialized["class_name"].get<std::string>(), config.dump()));
  }
  return from_config(serialized["class_name"].get<std::string>(), config);
}

}  // namespace keras::optimizers
