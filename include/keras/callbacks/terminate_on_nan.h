// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"

namespace keras::callbacks {

/// Options of TerminateOnNaN, named and defaulted as Keras's arguments.
struct TerminateOnNaNOptions {
  // false: print "Batch N: Invalid loss, terminating training" and stop after this batch
  // (other callbacks' on_train_end still run); true: throw keras::Error at once.
  bool raise_error = false;
};

/// Stops training when a training batch's "loss" is NaN or infinite (Keras's
/// `TerminateOnNaN`).
///
///     model.fit(x, y, {.callbacks = {std::make_shared<TerminateOnNaN>()}});
///
/// Keras: https://keras.io/api/callbacks/terminate_on_nan/
class TerminateOnNaN final : public Callback {
 public:
  explicit TerminateOnNaN(TerminateOnNaNOptions options = {}) : options_(options) {}

  [[nodiscard]] const TerminateOnNaNOptions& options() const noexcept { return options_; }

  void on_train_batch_end(int batch, const Logs& logs) override;

 private:
  TerminateOnNaNOptions options_;
};

}  // namespace keras::callbacks
