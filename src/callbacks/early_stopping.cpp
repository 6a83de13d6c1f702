// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/early_stopping.h"

#include "callbacks/io_utils.h"
#include "callbacks/monitor_op.h"
#include "keras/error.h"
#include "keras/sequential.h"

#include <fmt/format.h>

#include <utility>

// Follows keras/src/callbacks/early_stopping.py (Keras 3).

namespace keras::callbacks {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)), warnings_(std::make_unique<detail::Warnings>()) {
  const std::string unknown_mode =
      fmt::format("EarlyStopping mode {} is unknown, fallback to auto mode.", options_.mode);
  options_.mode = detail::checked_mode(options_.mode, unknown_mode);
  monitor_op_ = std::make_unique<detail::MonitorOp>(options_.mode, options_.min_delta);
}

EarlyStopping::~EarlyStopping() = default;

// Resets everything but the direction, so that one object serves several fits.
void EarlyStopping::on_train_begin(const Logs& /*logs*/) {
  wait_ = 0;
  stopped_epoch_ = 0;
  best_.reset();
  best_weights_.reset();
  best_epoch_ = 0;
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  if (!monitor_op_->resolved() && !monitor_op_->resolve(options_.monitor)) {
    throw ValueError(fmt::format(
        "EarlyStopping callback received monitor={} but Keras isn't able to automatically "
        "determine whether that metric should be maximized or minimized. Pass `mode='max'` in "
        "order to do early stopping based on the highest metric value, or pass `mode='min'` "
        "in order to use the lowest value.",
        options_.monitor));
  }
  const std::optional<double> current = monitor_value(logs);
  if (!current || epoch < options_.start_from_epoch) return;
  if (options_.restore_best_weights && !best_weights_) {
    // Until an epoch improves, the first monitored one counts as the best.
    best_weights_ = model().get_weights();
    best_epoch_ = epoch;
  }
  ++wait_;
  if (monitor_op_->is_improvement(*current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = model().get_weights();
    // The patience restarts only when the baseline is beaten too.
    if (!options_.baseline || monitor_op_->is_improvement(*current, options_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model().set_stop_training(true);
  }
}

void EarlyStopping::on_train_end(const Logs& /*logs*/) {
  if (stopped_epoch_ > 0 && options_.verbose > 0) {
    detail::print_msg(fmt::format("Epoch {}: early stopping", stopped_epoch_ + 1));
  }
  if (options_.restore_best_weights && best_weights_) {
    if (options_.verbose > 0) {
      detail::print_msg(fmt::format("Restoring model weights from the end of the best epoch: {}.",
                                    best_epoch_ + 1));
    }
    model().set_weights(*best_weights_);
  }
}

std::optional<double> EarlyStopping::monitor_value(const Logs& logs) {
  const auto found = logs.find(options_.monitor);
  if (found != logs.end()) return found->second;
  std::string names;
  for (const auto& [name, value] : logs) names += (names.empty() ? "" : ",") + name;
  warnings_->warn(fmt::format(
      "Early stopping conditioned on metric `{}` which is not available. Available metrics "
      "are: {}",
      options_.monitor, names));
  return std::nullopt;
}

}  // namespace keras::callbacks
