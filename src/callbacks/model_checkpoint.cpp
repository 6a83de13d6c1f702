// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/model_checkpoint.h"

#include "callbacks/io_utils.h"
#include "callbacks/monitor_op.h"
#include "callbacks/python_format.h"
#include "keras/error.h"
#include "keras/sequential.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>
#include <utility>

// Follows keras/src/callbacks/model_checkpoint.py (Keras 3).

namespace keras::callbacks {

ModelCheckpoint::ModelCheckpoint(ModelCheckpointOptions options)
    : options_(std::move(options)),
      warnings_(std::make_unique<detail::Warnings>()),
      best_(options_.initial_value_threshold) {
  const std::string unknown_mode =
      fmt::format("ModelCheckpoint mode '{}' is unknown, fallback to auto mode.", options_.mode);
  options_.mode = detail::checked_mode(options_.mode, unknown_mode);
  monitor_op_ = std::make_unique<detail::MonitorOp>(options_.mode, 0.0);
  if (const auto* every = std::get_if<std::int64_t>(&options_.save_freq)) {
    batch_save_freq_ = *every;
  } else if (const auto& freq = std::get<std::string>(options_.save_freq); freq != "epoch") {
    throw ValueError(fmt::format(
        "Unrecognized save_freq: {}. Expected save_freq are 'epoch' or integer values", freq));
  }
  const std::string& path = options_.filepath;
  if (options_.save_weights_only) {
    if (!path.ends_with(".weights.h5")) {
      throw ValueError(
          "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must "
          "end in `.weights.h5` (Keras weights format). Received: filepath=" +
          path);
    }
  } else if (!path.ends_with(".keras")) {
    // Keras also takes ".h5" here (its legacy writer); kerascpp writes only ".keras" models.
    throw ValueError(
        "The filepath provided must end in `.keras` (Keras model format). Received: "
        "filepath=" +
        path);
  }
}

ModelCheckpoint::~ModelCheckpoint() = default;

void ModelCheckpoint::on_train_batch_end(int batch, const Logs& logs) {
  if (should_save_on_batch(batch)) save_model(current_epoch_, batch, logs);
}

void ModelCheckpoint::on_epoch_begin(int epoch, const Logs& /*logs*/) { current_epoch_ = epoch; }

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  if (!monitor_op_->resolved())
    monitor_op_->set_monitor_op("ModelCheckpoint", options_.monitor, best_);
  if (!batch_save_freq_) save_model(epoch, std::nullopt, logs);
}

bool ModelCheckpoint::should_save_on_batch(int batch) {
  if (!batch_save_freq_) return false;
  // A batch index that did not grow means a new epoch began (batches count from 0).
  const int added = batch <= last_batch_seen_ ? batch + 1 : batch - last_batch_seen_;
  batches_seen_since_last_saving_ += added;
  last_batch_seen_ = batch;
  if (batches_seen_since_last_saving_ < *batch_save_freq_) return false;
  batches_seen_since_last_saving_ = 0;
  return true;
}

bool ModelCheckpoint::should_save_model(int epoch, const Logs& logs, const std::string& filepath) {
  if (!options_.save_best_only) {
    if (options_.verbose > 0) {
      detail::print_msg(fmt::format("\nEpoch {}: saving model to {}", epoch + 1, filepath));
    }
    return true;
  }
  const auto current = logs.find(options_.monitor);
  if (current == logs.end()) {
    warnings_->warn(fmt::format("Can save best model only with {} available.", options_.monitor));
    return true;
  }
  // Saving on batches can come before the first epoch's end has set the direction.
  if (!monitor_op_->resolved())
    monitor_op_->set_monitor_op("ModelCheckpoint", options_.monitor, best_);
  const std::string best_text = best_ ? fmt::format("{:.5f}", *best_) : "None";
  if (monitor_op_->is_improvement(current->second, best_)) {
    if (options_.verbose > 0) {
      detail::print_msg(fmt::format("\nEpoch {}: {} improved from {} to {:.5f}, saving model to {}",
                                    epoch + 1, options_.monitor, best_text, current->second,
                                    filepath));
    }
    best_ = current->second;
    return true;
  }
  if (options_.verbose > 0) {
    detail::print_msg(fmt::format("\nEpoch {}: {} did not improve from {}", epoch + 1,
                                  options_.monitor, best_text));
  }
  return false;
}

void ModelCheckpoint::save_model(int epoch, std::optional<int> batch, const Logs& logs) {
  const std::string filepath = file_path(epoch, batch, logs);
  if (!should_save_model(epoch, logs, filepath)) return;
  const std::filesystem::path path(filepath);
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      throw FileError(path.parent_path().string(),
                      fmt::format("Cannot create the folder '{}' for ModelCheckpoint: {}",
                                  path.parent_path().string(), error.message()));
    }
  }
  if (std::filesystem::is_directory(path)) {
    throw FileError(filepath, fmt::format("Please specify a non-directory filepath for "
                                          "ModelCheckpoint. Filepath used is an existing "
                                          "directory: {}",
                                          filepath));
  }
  if (options_.save_weights_only) {
    model().save_weights(filepath);
  } else {
    model().save(filepath);
  }
}

std::string ModelCheckpoint::file_path(int epoch, std::optional<int> batch,
                                       const Logs& logs) const {
  detail::FormatArgs args(logs.begin(), logs.end());
  args["epoch"] = static_cast<long long>(epoch) + 1;
  if (batch && !logs.contains("batch")) args["batch"] = static_cast<long long>(*batch) + 1;
  try {
    return detail::python_str_format(options_.filepath, args);
  } catch (const detail::MissingFormatKey& missing) {
    throw ValueError(fmt::format("Failed to format this callback filepath: \"{}\". Reason: {}",
                                 options_.filepath, missing.what()));
  }
}

}  // namespace keras::callbacks
