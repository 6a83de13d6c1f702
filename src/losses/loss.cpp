// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/loss.h"

#include "keras/error.h"
#include "losses/loss_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>

namespace keras::losses {
namespace {

struct LossClass {
  std::string_view class_name;
  std::shared_ptr<Loss> (*from_config)(detail::LossConfig&);
};

// The one table of Keras loss classes kerascpp implements.
constexpr std::array loss_classes{
    LossClass{"CategoricalCrossentropy", detail::categorical_crossentropy_from_config},
    LossClass{"SparseCategoricalCrossentropy", detail::sparse_categorical_crossentropy_from_config},
    LossClass{"BinaryCrossentropy", detail::binary_crossentropy_from_config},
    LossClass{"MeanSquaredError", detail::mean_squared_error_from_config},
    LossClass{"MeanAbsoluteError", detail::mean_absolute_error_from_config},
};

// Keras's function names and aliases (keras.losses.ALL_OBJECTS_DICT) for those classes.
struct LossAlias {
  std::string_view identifier;
  std::string_view class_name;
};
constexpr std::array loss_aliases{
    LossAlias{"categorical_crossentropy", "CategoricalCrossentropy"},
    LossAlias{"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
    LossAlias{"binary_crossentropy", "BinaryCrossentropy"},
    LossAlias{"bce", "BinaryCrossentropy"},
    LossAlias{"BCE", "BinaryCrossentropy"},
    LossAlias{"mean_squared_error", "MeanSquaredError"},
    LossAlias{"mse", "MeanSquaredError"},
    LossAlias{"MSE", "MeanSquaredError"},
    LossAlias{"mean_absolute_error", "MeanAbsoluteError"},
    LossAlias{"mae", "MeanAbsoluteError"},
    LossAlias{"MAE", "MeanAbsoluteError"},
};

// Keras 3 losses kerascpp does not implement: NotImplementedError rather than "unknown".
constexpr std::string_view other_keras_losses[]{
    "BinaryFocalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "CTC",
    "Dice",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SquaredHinge",
    "Tversky",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "ctc",
    "dice",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "log_cosh",
    "logcosh",
    "mean_absolute_percentage_error",
    "mape",
    "mean_squared_logarithmic_error",
    "msle",
    "poisson",
    "squared_hinge",
    "tversky",
};

std::string known_identifiers() {
  std::string names;
  for (const auto& alias : loss_aliases) names += fmt::format("{}, ", alias.identifier);
  for (const auto& loss_class : loss_classes) names += fmt::format("{}, ", loss_class.class_name);
  names.resize(names.size() - 2);
  return names;
}

const LossClass& loss_class_named(std::string_view class_name) {
  const auto* found = std::find_if(loss_classes.begin(), loss_classes.end(),
                                   [&](const LossClass& c) { return c.class_name == class_name; });
  if (found != loss_classes.end()) return *found;
  if (std::ranges::find(other_keras_losses, class_name) != std::end(other_keras_losses)) {
    throw NotImplementedError(
        fmt::format("The Keras loss '{}' is not implemented in kerascpp", class_name));
  }
  throw ValueError(fmt::format("Could not interpret loss identifier: {}. Known losses: {}",
                               class_name, known_identifiers()));
}

std::shared_ptr<Loss> from_class_and_config(std::string_view class_name, const io::Json& config) {
  const LossClass& loss_class = loss_class_named(class_name);
  detail::LossConfig reader(config, loss_class.class_name);
  auto loss = loss_class.from_config(reader);
  reader.finish();
  return loss;
}

[[noreturn]] void throw_bad_serialization(const io::Json& json) {
  throw ValueError(fmt::format(
      "A serialized loss must be a string or an object with \"class_name\" and \"config\". "
      "Received: {}",
      json.dump()));
}

}  // namespace

Loss::Loss(std::string name, std::string reduction)
    : name_(std::move(name)), reduction_(std::move(reduction)) {
  // Keras also takes None and "none" (unreduced); kerascpp's per_sample() gives those values.
  if (reduction_ != "sum_over_batch_size" && reduction_ != "sum") {
    throw ValueError(fmt::format(
        "Invalid value for argument `reduction`. Expected one of {{'sum_over_batch_size', "
        "'sum'}}. Received: reduction={}",
        reduction_));
  }
}

double Loss::operator()(const Tensor& y_true, const Tensor& y_pred) const {
  // The gradient comes along; it costs as much as the value on batch x classes tensors.
  return value_and_gradient(y_true, y_pred).value;
}

std::string Loss::to_json() const {
  const io::Json json{{"module", "keras.losses"},
                      {"class_name", class_name()},
                      {"config", io::Json::parse(get_config())},
                      {"registered_name", nullptr}};
  return json.dump();
}

std::shared_ptr<Loss> get(std::string_view identifier) {
  const auto* alias = std::find_if(loss_aliases.begin(), loss_aliases.end(),
                                   [&](const LossAlias& a) { return a.identifier == identifier; });
  return from_class_and_config(alias != loss_aliases.end() ? alias->class_name : identifier,
                               io::Json::object());
}

std::shared_ptr<Loss> deserialize(std::string_view json) {
  const io::Json parsed = io::parse_json(json, "loss config");
  if (parsed.is_string()) return get(parsed.get<std::string>());
  if (!parsed.is_object() || !parsed.contains("class_name") || !parsed["class_name"].is_string()) {
    throw_bad_serialization(parsed);
  }
  const auto class_name = parsed["class_name"].get<std::string>();
  const io::Json config = parsed.value("config", io::Json::object());
  // Keras 3 stores a loss given as a function as {"class_name": "function", "config": name}.
  if (class_name == "function" && config.is_string()) return get(config.get<std::string>());
  if (!config.is_object()) throw_bad_serialization(parsed);
  return from_class_and_config(class_name, config);
}

}  // namespace keras::losses
