// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"
#include "keras/tensor.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace keras::callbacks {

namespace detail {
class MonitorOp;
class Warnings;
}  // namespace detail

/// Options of EarlyStopping, named and defaulted as Keras's arguments.
struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;          // a smaller change is no improvement
  int patience = 0;                // epochs without improvement before stopping
  int verbose = 0;                 // 1: say when it stops and restores
  std::string mode = "auto";       // "min", "max", or "auto": from the monitored name
  std::optional<double> baseline;  // a value to beat before the patience restarts
  bool restore_best_weights = false;
  int start_from_epoch = 0;  // warm-up epochs not monitored
};

/// Stops training when the monitored figure has stopped improving (Keras's `EarlyStopping`):
/// after `patience` epochs without an improvement it sets `model().set_stop_training(true)`.
/// With `restore_best_weights`, the weights of the best epoch are put back when training ends.
/// A monitored name missing from the epoch's logs prints Keras's warning to standard error
/// and skips the epoch; a name "auto" mode cannot place (not "loss" nor a known metric)
/// throws ValueError at the first epoch's end.
///
///     model.fit(x, y, {.epochs = 50, .callbacks = {std::make_shared<EarlyStopping>(
///         EarlyStoppingOptions{.patience = 3, .restore_best_weights = true})}});
///
/// Keras: https://keras.io/api/callbacks/early_stopping/
class EarlyStopping final : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  ~EarlyStopping() override;

  [[nodiscard]] const EarlyStoppingOptions& options() const noexcept { return options_; }
  /// The epoch (from 0) training was stopped at; 0 when it was not.
  [[nodiscard]] int stopped_epoch() const noexcept { return stopped_epoch_; }
  /// The best value seen in this training; nullopt before the first monitored epoch.
  [[nodiscard]] std::optional<double> best() const noexcept { return best_; }
  [[nodiscard]] int best_epoch() const noexcept { return best_epoch_; }
  /// Epochs since the last improvement.
  [[nodiscard]] int wait() const noexcept { return wait_; }

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(const Logs& logs) override;

 private:
  [[nodiscard]] std::optional<double> monitor_value(const Logs& logs);

  EarlyStoppingOptions options_;
  std::unique_ptr<detail::MonitorOp> monitor_op_;
  std::unique_ptr<detail::Warnings> warnings_;
  int wait_ = 0;
  int stopped_epoch_ = 0;
  std::optional<double> best_;
  int best_epoch_ = 0;
  std::optional<std::vector<Tensor>> best_weights_;
};

}  // namespace keras::callbacks
