// SPDX-License-Identifier: Apache-2.0
#include "callbacks/monitor_op.h"

#include "callbacks/io_utils.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace keras::callbacks::detail {
namespace {

// Keras's metrics carry a `_direction`; these are the names compile() gives the built-in
// ones (and their shorthands), so "auto" decides as Keras would for them.
constexpr std::array increasing_metrics{
    "accuracy",
    "acc",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "auc",
    "precision",
    "recall",
    "f1_score",
    "fbeta_score",
    "r2_score",
    "mean_iou",
    "iou",
    "cosine_similarity",
};
constexpr std::array decreasing_metrics{
    "loss",
    "mse",
    "mae",
    "mape",
    "msle",
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "root_mean_squared_error",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "kl_divergence",
    "kld",
    "poisson",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "log_cosh_error",
    "logcosh",
};

bool listed(const auto& names, std::string_view name) {
  for (std::string_view listed_name : names) {
    if (listed_name == name) return true;
  }
  return false;
}

}  // namespace

std::string checked_mode(std::string mode, const std::string& unknown_mode_warning) {
  if (mode == "auto" || mode == "min" || mode == "max") return mode;
  Warnings().warn(unknown_mode_warning);
  return "auto";
}

MonitorOp::MonitorOp(std::string mode, double min_delta)
    : mode_(std::move(mode)), min_delta_(std::abs(min_delta)) {}

bool MonitorOp::resolve(std::string_view monitor) {
  if (mode_ == "min") {
    minimizes_ = true;
  } else if (mode_ == "max") {
    minimizes_ = false;
  } else {
    const std::string_view metric =
        monitor.starts_with("val_") ? monitor.substr(4) : monitor;  // Keras's removeprefix
    if (listed(decreasing_metrics, metric)) minimizes_ = true;
    if (listed(increasing_metrics, metric)) minimizes_ = false;
  }
  if (!minimizes_) return false;
  if (*minimizes_) min_delta_ = -min_delta_;
  return true;
}

bool MonitorOp::is_improvement(double value, std::optional<double> reference) const {
  if (!reference) return true;
  return minimizes() ? value - min_delta_ < *reference : value - min_delta_ > *reference;
}

void MonitorOp::set_monitor_op(std::string_view class_name, std::string_view monitor,
                               std::optional<double>& best) {
  if (!resolve(monitor)) {
    throw ValueError(fmt::format(
        "{} callback received monitor={}, but Keras isn't able to automatically determine "
        "whether that metric should be maximized or minimized. Pass `mode='max'` in order to "
        "monitor based on the highest metric value, or pass `mode='min'` in order to use the "
        "lowest value.",
        class_name, monitor));
  }
  if (!best) {
    best = *minimizes_ ? std::numeric_limits<double>::infinity()
                       : -std::numeric_limits<double>::infinity();
  }
}

}  // namespace keras::callbacks::detail
