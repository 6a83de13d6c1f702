// SPDX-License-Identifier: Apache-2.0
// Sequential::compile and what it configures; the loops are in trainer.cpp.
#include "keras/error.h"
#include "keras/sequential.h"
#include "training/trainer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace keras {
namespace {

// Regularizers and constraints are kept in configs (files round-trip) but not applied, so
// training with them would silently differ from Keras.
void reject_unapplied_penalties(const std::vector<std::shared_ptr<layers::Layer>>& model_layers) {
  for (const auto& layer : model_layers) {
    const auto config = nlohmann::json::parse(layer->get_config());
    for (const auto& [key, value] : config.items()) {
      const bool penalty = key.ends_with("_regularizer") || key.ends_with("_constraint");
      if (penalty && !value.is_null()) {
        throw NotImplementedError(fmt::format(
            "Layer '{}' ({}) has {}={}: kerascpp keeps regularizers and constraints in the "
            "model's config but does not apply them in training yet. Remove it before compile().",
            layer->name(), layer->class_name(), key, value.dump()));
      }
    }
  }
}

}  // namespace

void Sequential::compile(CompileOptions options) {
  reject_unapplied_penalties(layers_);
  auto optimizer = options.optimizer.resolve();
  if (options.loss.empty()) {
    throw ValueError(
        "compile() needs a loss, e.g. `.loss = \"categorical_crossentropy\"`: kerascpp models "
        "have no loss of their own to add.");
  }
  auto loss = options.loss.resolve();
  optimizer_ = std::move(optimizer);
  loss_ = std::move(loss);
  metric_args_ = std::move(options.metrics);
  metrics_.clear();
}

optimizers::Optimizer& Sequential::optimizer() const {
  if (!optimizer_) {
    throw ValueError(
        fmt::format("Sequential model '{}' has no optimizer: call compile() first.", name_));
  }
  return *optimizer_;
}

losses::Loss& Sequential::loss() const {
  if (!loss_) {
    throw ValueError(
        fmt::format("Sequential model '{}' has no loss: call compile() first.", name_));
  }
  return *loss_;
}

callbacks::History Sequential::fit(const Tensor& x, const Tensor& y, FitOptions options) {
  return training::Trainer(*this).fit(x, y, options);
}

callbacks::Logs Sequential::evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options) {
  return training::Trainer(*this).evaluate(x, y, options);
}

callbacks::Logs Sequential::train_on_batch(const Tensor& x, const Tensor& y) {
  return training::Trainer(*this).train_on_batch(x, y);
}

callbacks::Logs Sequential::test_on_batch(const Tensor& x, const Tensor& y) {
  return training::Trainer(*this).test_on_batch(x, y);
}

}  // namespace keras
