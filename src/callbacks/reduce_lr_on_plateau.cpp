// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/reduce_lr_on_plateau.h"

#include "callbacks/io_utils.h"
#include "callbacks/monitor_op.h"
#include "callbacks/python_format.h"
#include "detail/python_repr.h"
#include "keras/error.h"
#include "keras/optimizers/optimizer.h"
#include "keras/sequential.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

// Follows keras/src/callbacks/reduce_lr_on_plateau.py (Keras 3).

namespace keras::callbacks {
namespace {

// Keras reads the learning rate out of a float32 variable: 0.001 comes back as
// 0.0010000000474974513, and that is what it logs, multiplies and prints.
double float32_learning_rate(const Sequential& model) {
  return static_cast<double>(static_cast<float>(model.optimizer().learning_rate()));
}

}  // namespace

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : options_(std::move(options)), warnings_(std::make_unique<detail::Warnings>()) {
  const std::string unknown_mode =
      fmt::format("ReduceLROnPlateau mode '{}' is unknown, fallback to auto mode.", options_.mode);
  options_.mode = detail::checked_mode(options_.mode, unknown_mode);
  monitor_op_ = std::make_unique<detail::MonitorOp>(options_.mode, options_.min_delta);
  if (options_.factor >= 1.0) {
    throw ValueError(
        fmt::format("ReduceLROnPlateau does not support a factor >= 1.0. Received factor={}",
                    keras::detail::python_float(options_.factor)));
  }
}

ReduceLROnPlateau::~ReduceLROnPlateau() = default;

// The best value is kept across fits, as Keras keeps it.
void ReduceLROnPlateau::on_train_begin(const Logs& /*logs*/) {
  cooldown_counter_ = 0;
  wait_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  if (!monitor_op_->resolved()) {
    monitor_op_->set_monitor_op("ReduceLROnPlateau", options_.monitor, best_);
  }
  logs["learning_rate"] = float32_learning_rate(model());
  const auto current = logs.find(options_.monitor);
  if (current == logs.end()) {
    std::string names;
    for (const auto& [name, value] : logs) names += (names.empty() ? "" : ",") + name;
    warnings_->warn(
        fmt::format("Learning rate reduction is conditioned on metric `{}` which is not available. "
                    "Available metrics are: {}.",
                    options_.monitor, names));
    return;
  }
  if (in_cooldown()) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (monitor_op_->is_improvement(current->second, best_)) {
    best_ = current->second;
    wait_ = 0;
  } else if (!in_cooldown()) {
    ++wait_;
    if (wait_ >= options_.patience) reduce_learning_rate(epoch);
  }
}

void ReduceLROnPlateau::reduce_learning_rate(int epoch) {
  const double old_lr = float32_learning_rate(model());
  if (!(old_lr > static_cast<double>(static_cast<float>(options_.min_lr)))) return;
  const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
  model().optimizer().set_learning_rate(new_lr);
  if (options_.verbose > 0) {
    detail::print_msg(fmt::format("\nEpoch {}: ReduceLROnPlateau reducing learning rate to {}.",
                                  epoch + 1, keras::detail::python_float(new_lr)));
  }
  cooldown_counter_ = options_.cooldown;
  wait_ = 0;
}

}  // namespace keras::callbacks
