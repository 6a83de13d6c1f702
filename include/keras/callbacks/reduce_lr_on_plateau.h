// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"

#include <memory>
#include <optional>
#include <string>

namespace keras::callbacks {

namespace detail {
class MonitorOp;
class Warnings;
}  // namespace detail

/// Options of ReduceLROnPlateau, named and defaulted as Keras's arguments.
struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;        // new_lr = lr * factor; must be < 1
  int patience = 10;          // epochs without improvement before reducing
  int verbose = 0;            // 1: a line for each reduction
  std::string mode = "auto";  // "min", "max", or "auto": from the monitored name
  double min_delta = 1e-4;    // a smaller change is no improvement
  int cooldown = 0;           // epochs to wait after a reduction
  double min_lr = 0.0;        // the learning rate never goes below
};

/// Lowers the optimizer's learning rate when the monitored figure stops improving (Keras's
/// `ReduceLROnPlateau`). Adds "learning_rate" to each epoch's logs, as Keras 3 does, so
/// History and CSVLogger record it. The learning rate is read as the float32 Keras keeps it in.
///
///     auto reduce = std::make_shared<ReduceLROnPlateau>(
///         ReduceLROnPlateauOptions{.factor = 0.2, .patience = 5, .min_lr = 0.001});
///
/// Keras: https://keras.io/api/callbacks/reduce_lr_on_plateau/
class ReduceLROnPlateau final : public Callback {
 public:
  /// Throws ValueError (Keras's message) for a factor >= 1.
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  ~ReduceLROnPlateau() override;

  [[nodiscard]] const ReduceLROnPlateauOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::optional<double> best() const noexcept { return best_; }
  [[nodiscard]] int wait() const noexcept { return wait_; }
  [[nodiscard]] bool in_cooldown() const noexcept { return cooldown_counter_ > 0; }

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  void reduce_learning_rate(int epoch);

  ReduceLROnPlateauOptions options_;
  std::unique_ptr<detail::MonitorOp> monitor_op_;
  std::unique_ptr<detail::Warnings> warnings_;
  std::optional<double> best_;
  int cooldown_counter_ = 0;
  int wait_ = 0;
};

}  // namespace keras::callbacks
