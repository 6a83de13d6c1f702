// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"
#include "keras/utils/progbar.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace keras::callbacks {

/// Where ProgbarLogger's bars and lines go; empty functions: a steady clock and standard
/// output (tests pass a fake clock and capture the text).
struct ProgbarLoggerOptions {
  std::function<double()> clock;                // seconds
  std::function<void(std::string_view)> write;  // receives every character printed
};

/// What fit, evaluate and predict print for verbose 1 and 2 (Keras's `ProgbarLogger`):
/// "Epoch e/E" before each epoch when there are several, then a Progbar per epoch updated
/// after each training batch (verbose 1) and finished with the epoch's logs, validation
/// figures included (verbose 2 prints only that last line). In evaluate and predict, a bar
/// over the test or predict batches; the validation inside fit is silent.
///
/// The trainer makes one per call and, before `on_train_begin` / `on_test_begin` /
/// `on_predict_begin`, calls `set_params(epochs, steps, verbose)` (Keras's
/// `set_params({"epochs", "steps", "verbose"})`): `steps` per epoch, nullopt when unknown
/// (the bar then shows `.../Unknown` and learns the count at the epoch's end); `verbose`
/// 0, 1, 2 or `verbose_auto` (-1, taken as 1, as Keras takes "auto"; fit and evaluate resolve
/// it before: 1 on a terminal, 2 when standard output is not one).
///
/// Keras: https://keras.io/api/callbacks/progbar_logger/
class ProgbarLogger final : public Callback {
 public:
  explicit ProgbarLogger(ProgbarLoggerOptions options = {});
  ~ProgbarLogger() override;

  void set_params(int epochs, std::optional<std::int64_t> steps, int verbose);

  void on_train_begin(const Logs& logs) override;
  void on_train_end(const Logs& logs) override;
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(int batch, const Logs& logs) override;
  void on_test_begin(const Logs& logs) override;
  void on_test_batch_end(int batch, const Logs& logs) override;
  void on_test_end(const Logs& logs) override;
  void on_predict_begin(const Logs& logs) override;
  void on_predict_batch_end(int batch, const Logs& logs) override;
  void on_predict_end(const Logs& logs) override;

 private:
  void reset_progbar();
  void maybe_init_progbar();
  void update_progbar(int batch, const Logs& logs);
  void finalize_progbar(const Logs& logs);

  ProgbarLoggerOptions options_;
  std::int64_t seen_ = 0;
  std::optional<std::int64_t> target_;
  int verbose_ = 1;
  int epochs_ = 1;
  bool called_in_fit_ = false;  // the validation inside fit stays silent
  std::unique_ptr<utils::Progbar> progbar_;
};

}  // namespace keras::callbacks
