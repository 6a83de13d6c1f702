// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/metric.h"

#include "keras/error.h"
#include "keras/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <type_traits>
#include <utility>

namespace keras::metrics {
namespace {

using Factory = std::unique_ptr<Metric> (*)(std::string name);

// A metric with Keras's defaults under `name`.
template <typename MetricType>
std::unique_ptr<Metric> make(std::string name) {
  using Options = std::remove_cvref_t<decltype(std::declval<const MetricType&>().options())>;
  Options options;
  options.name = std::move(name);
  return std::make_unique<MetricType>(std::move(options));
}

struct MetricIdentifier {
  std::string_view identifier;
  Factory factory;
};

// Keras's function names, aliases and class names (keras.metrics.ALL_OBJECTS_DICT) for the
// metrics kerascpp implements; "accuracy" and "acc" resolve by shape, in get().
constexpr std::array metric_identifiers{
    MetricIdentifier{"categorical_accuracy", make<CategoricalAccuracy>},
    MetricIdentifier{"CategoricalAccuracy", make<CategoricalAccuracy>},
    MetricIdentifier{"sparse_categorical_accuracy", make<SparseCategoricalAccuracy>},
    MetricIdentifier{"SparseCategoricalAccuracy", make<SparseCategoricalAccuracy>},
    MetricIdentifier{"binary_accuracy", make<BinaryAccuracy>},
    MetricIdentifier{"BinaryAccuracy", make<BinaryAccuracy>},
    MetricIdentifier{"mean_squared_error", make<MeanSquaredError>},
    MetricIdentifier{"mse", make<MeanSquaredError>},
    MetricIdentifier{"MSE", make<MeanSquaredError>},
    MetricIdentifier{"MeanSquaredError", make<MeanSquaredError>},
    MetricIdentifier{"mean_absolute_error", make<MeanAbsoluteError>},
    MetricIdentifier{"mae", make<MeanAbsoluteError>},
    MetricIdentifier{"MAE", make<MeanAbsoluteError>},
    MetricIdentifier{"MeanAbsoluteError", make<MeanAbsoluteError>},
};

// Keras 3 metrics often named in compile() that kerascpp does not implement.
constexpr std::string_view other_keras_metrics[]{
    "AUC",
    "auc",
    "BinaryCrossentropy",
    "binary_crossentropy",
    "CategoricalCrossentropy",
    "categorical_crossentropy",
    "F1Score",
    "Precision",
    "precision",
    "Recall",
    "recall",
    "SparseCategoricalCrossentropy",
    "sparse_categorical_crossentropy",
    "SparseTopKCategoricalAccuracy",
    "sparse_top_k_categorical_accuracy",
    "TopKCategoricalAccuracy",
    "top_k_categorical_accuracy",
};

std::string known_identifiers() {
  std::string names = "accuracy, acc";
  for (const auto& entry : metric_identifiers) names += fmt::format(", {}", entry.identifier);
  return names;
}

// Keras's compile_utils.is_binary_or_sparse_categorical: binary when y_pred's last axis is 1,
// sparse categorical when y_true has a lower rank or a last axis of 1, else categorical.
std::unique_ptr<Metric> accuracy_for(std::string name, const Shape& y_true, const Shape& y_pred) {
  if (y_true.rank() == 0 || y_pred.rank() == 0) {
    throw ValueError(fmt::format(
        "Cannot resolve metric \"{}\" for y_true of shape {} and y_pred of shape {}: Keras picks "
        "the accuracy from their last axes, so both need at least one axis",
        name, y_true.to_string(), y_pred.to_string()));
  }
  const Dim& true_last = y_true[y_true.rank() - 1];
  const Dim& pred_last = y_pred[y_pred.rank() - 1];
  if (pred_last == Dim(1)) return make<BinaryAccuracy>(std::move(name));
  if (y_true.rank() < y_pred.rank() || (true_last == Dim(1) && pred_last && *pred_last > 1)) {
    return make<SparseCategoricalAccuracy>(std::move(name));
  }
  return make<CategoricalAccuracy>(std::move(name));
}

}  // namespace

std::unique_ptr<Metric> get(std::string_view identifier, const Shape& y_true, const Shape& y_pred) {
  std::string lowered(identifier);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // As Keras, a metric given by a string keeps that string as its name.
  if (lowered == "accuracy" || lowered == "acc") {
    return accuracy_for(std::string(identifier), y_true, y_pred);
  }
  const auto* found =
      std::find_if(metric_identifiers.begin(), metric_identifiers.end(),
                   [&](const MetricIdentifier& entry) { return entry.identifier == identifier; });
  if (found != metric_identifiers.end()) return found->factory(std::string(identifier));
  if (std::ranges::find(other_keras_metrics, identifier) != std::end(other_keras_metrics)) {
    throw NotImplementedError(
        fmt::format("The Keras metric '{}' is not implemented in kerascpp", identifier));
  }
  throw ValueError(fmt::format("Could not interpret metric identifier: {}. Known metrics: {}",
                               identifier, known_identifiers()));
}

}  // namespace keras::metrics
