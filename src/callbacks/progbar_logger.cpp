// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/progbar_logger.h"

#include <fmt/format.h>

#include <cstdio>
#include <utility>

// Follows keras/src/callbacks/progbar_logger.py (Keras 3).

namespace keras::callbacks {
namespace {

utils::ProgbarValues values_of(const Logs& logs) { return {logs.begin(), logs.end()}; }

}  // namespace

ProgbarLogger::ProgbarLogger(ProgbarLoggerOptions options) : options_(std::move(options)) {
  if (!options_.write) {
    options_.write = [](std::string_view text) {  // Keras's io_utils.print_msg
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    };
  }
}

ProgbarLogger::~ProgbarLogger() = default;

void ProgbarLogger::set_params(int epochs, std::optional<std::int64_t> steps, int verbose) {
  verbose_ = verbose < 0 ? 1 : verbose;
  epochs_ = epochs;
  target_ = steps;
}

void ProgbarLogger::on_train_begin(const Logs& /*logs*/) { called_in_fit_ = true; }

// Keras makes a new logger for each call; clearing the flag lets one object serve a later
// evaluate() too.
void ProgbarLogger::on_train_end(const Logs& /*logs*/) { called_in_fit_ = false; }

void ProgbarLogger::on_epoch_begin(int epoch, const Logs& /*logs*/) {
  reset_progbar();
  maybe_init_progbar();
  if (verbose_ != 0 && epochs_ > 1) {
    options_.write(fmt::format("Epoch {}/{}\n", epoch + 1, epochs_));
  }
}

void ProgbarLogger::on_epoch_end(int /*epoch*/, Logs& logs) { finalize_progbar(logs); }

void ProgbarLogger::on_train_batch_end(int batch, const Logs& logs) { update_progbar(batch, logs); }

void ProgbarLogger::on_test_begin(const Logs& /*logs*/) {
  if (called_in_fit_) return;
  reset_progbar();
  maybe_init_progbar();
}

void ProgbarLogger::on_test_batch_end(int batch, const Logs& logs) {
  if (!called_in_fit_) update_progbar(batch, logs);
}

void ProgbarLogger::on_test_end(const Logs& logs) {
  if (!called_in_fit_) finalize_progbar(logs);
}

void ProgbarLogger::on_predict_begin(const Logs& /*logs*/) {
  reset_progbar();
  maybe_init_progbar();
}

// The predictions are not figures to show.
void ProgbarLogger::on_predict_batch_end(int batch, const Logs& /*logs*/) {
  update_progbar(batch, {});
}

void ProgbarLogger::on_predict_end(const Logs& logs) { finalize_progbar(logs); }

void ProgbarLogger::reset_progbar() {
  seen_ = 0;
  progbar_.reset();
}

void ProgbarLogger::maybe_init_progbar() {
  if (progbar_) return;
  progbar_ =
      std::make_unique<utils::Progbar>(target_, utils::ProgbarOptions{.verbose = verbose_,
                                                                      .unit_name = "step",
                                                                      .clock = options_.clock,
                                                                      .write = options_.write});
}

void ProgbarLogger::update_progbar(int batch, const Logs& logs) {
  maybe_init_progbar();
  seen_ = batch + 1;  // one-based
  if (verbose_ == 1) progbar_->update(seen_, values_of(logs), false);
}

void ProgbarLogger::finalize_progbar(const Logs& logs) {
  maybe_init_progbar();
  if (!target_) {
    target_ = seen_;
    progbar_->set_target(target_);
  }
  progbar_->update(*target_, values_of(logs), true);
}

}  // namespace keras::callbacks
