// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace keras::callbacks::detail {

/// `mode` if it is "auto", "min" or "max"; otherwise prints `unknown_mode_warning` as
/// Python's warnings do and returns "auto" (Keras's fallback).
[[nodiscard]] std::string checked_mode(std::string mode, const std::string& unknown_mode_warning);

/// The comparison EarlyStopping, ModelCheckpoint and ReduceLROnPlateau apply to their
/// monitored figure (Keras's `monitor_op` and `_is_improvement`).
class MonitorOp {
 public:
  MonitorOp(std::string mode, double min_delta);

  /// Chooses the direction: "min" or "max" as given; "auto" from the monitored name, which
  /// Keras reads from the compiled metric of that name (`val_` stripped): "loss", the
  /// cross-entropies and the errors go down, the accuracies (and AUC, precision, recall...)
  /// go up. Returns false when "auto" cannot tell; the caller raises Keras's ValueError.
  [[nodiscard]] bool resolve(std::string_view monitor);
  [[nodiscard]] bool resolved() const noexcept { return minimizes_.has_value(); }
  [[nodiscard]] bool minimizes() const { return minimizes_.value(); }
  /// `value - min_delta` beats `reference`; always true without a reference.
  [[nodiscard]] bool is_improvement(double value, std::optional<double> reference) const;
  /// Keras's `MonitorCallback._set_monitor_op` (ModelCheckpoint, ReduceLROnPlateau): resolves
  /// the direction or throws Keras's ValueError naming `class_name`; an empty `best` starts
  /// at +inf when minimizing, -inf when maximizing.
  void set_monitor_op(std::string_view class_name, std::string_view monitor,
                      std::optional<double>& best);

 private:
  std::string mode_;
  double min_delta_;  // Keras keeps |min_delta| and negates it once it knows it minimizes
  std::optional<bool> minimizes_;
};

}  // namespace keras::callbacks::detail
