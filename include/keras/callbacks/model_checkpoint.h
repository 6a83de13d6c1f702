// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace keras::callbacks {

namespace detail {
class MonitorOp;
class Warnings;
}  // namespace detail

/// Options of ModelCheckpoint, named and defaulted as Keras's arguments.
struct ModelCheckpointOptions {
  // Where to save, with Python format fields filled from the epoch (from 1) and the logs,
  // e.g. "ckpt/{epoch:02d}-{val_loss:.2f}.keras"; ".keras", or ".weights.h5" when only the
  // weights are saved.
  std::string filepath;
  std::string monitor = "val_loss";
  int verbose = 0;  // 1: a line for each save or refusal
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string mode = "auto";  // "min", "max", or "auto": from the monitored name
  // "epoch": at each epoch's end; an integer n: after every n training batches.
  std::variant<std::string, std::int64_t> save_freq = "epoch";
  std::optional<double> initial_value_threshold;  // the best value to beat at first
};

/// Saves the model (`model().save`) or its weights (`save_weights`) while training (Keras's
/// `ModelCheckpoint`); with `save_best_only`, only when the monitored figure improved. Missing
/// folders are created.
///
///     auto checkpoint = std::make_shared<ModelCheckpoint>(ModelCheckpointOptions{
///         .filepath = "best.keras", .monitor = "val_accuracy", .save_best_only = true});
///
/// Throws ValueError (Keras's messages) for a filepath without the right extension or a
/// save_freq other than "epoch" or an integer; when saving, ValueError for a field the logs
/// lack and for a malformed pattern, FileError for a path that is a folder.
///
/// Keras: https://keras.io/api/callbacks/model_checkpoint/
class ModelCheckpoint final : public Callback {
 public:
  explicit ModelCheckpoint(ModelCheckpointOptions options);
  ~ModelCheckpoint() override;

  [[nodiscard]] const ModelCheckpointOptions& options() const noexcept { return options_; }
  /// The best monitored value so far (Keras's `best`): the threshold given, else nullopt
  /// until the first epoch's end.
  [[nodiscard]] std::optional<double> best() const noexcept { return best_; }

  void on_train_batch_end(int batch, const Logs& logs) override;
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  [[nodiscard]] bool should_save_on_batch(int batch);
  [[nodiscard]] bool should_save_model(int epoch, const Logs& logs, const std::string& filepath);
  void save_model(int epoch, std::optional<int> batch, const Logs& logs);
  [[nodiscard]] std::string file_path(int epoch, std::optional<int> batch, const Logs& logs) const;

  ModelCheckpointOptions options_;
  std::unique_ptr<detail::MonitorOp> monitor_op_;
  std::unique_ptr<detail::Warnings> warnings_;
  std::optional<double> best_;
  std::optional<std::int64_t> batch_save_freq_;  // set when save_freq is an integer
  std::int64_t batches_seen_since_last_saving_ = 0;
  int last_batch_seen_ = 0;
  int current_epoch_ = 0;
};

}  // namespace keras::callbacks
