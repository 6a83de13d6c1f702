// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/dtype.h"
#include "keras/shape.h"
#include "keras/tensor.h"

#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace keras::metrics {

/// A Keras metric: state accumulated over batches (`update_state`), read with `result()`,
/// cleared with `reset_state()`, as fit and evaluate use them per epoch. Each metric is one
/// class in its own header (keras/metrics/<name>.h).
///
/// Keras: https://keras.io/api/metrics/
class Metric {
 public:
  virtual ~Metric() = default;

  /// The name in logs and the progress bar, e.g. "accuracy".
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred) = 0;
  [[nodiscard]] virtual double result() const = 0;
  virtual void reset_state() = 0;
  [[nodiscard]] virtual std::string class_name() const = 0;
  /// The config as JSON text (`name`, `dtype` and the metric's own arguments).
  [[nodiscard]] virtual std::string get_config() const = 0;

 protected:
  explicit Metric(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

/// The metric compile() makes of a Keras identifier for targets and predictions of these
/// shapes: "accuracy"/"acc" resolve as Keras resolves them (binary when y_pred's last axis is
/// 1, sparse categorical when y_true has a lower rank or a last axis of 1, else categorical)
/// and keep the user's string as their name; "categorical_accuracy",
/// "sparse_categorical_accuracy", "binary_accuracy", "mse", "mae" and class names too.
/// Throws ValueError listing the known names otherwise.
[[nodiscard]] std::unique_ptr<Metric> get(std::string_view identifier, const Shape& y_true,
                                          const Shape& y_pred);

/// What compile() takes for a metric: a Keras identifier or a metric object.
class MetricArg {
 public:
  MetricArg(const char* identifier) : identifier_(identifier) {}             // NOLINT
  MetricArg(std::string identifier) : identifier_(std::move(identifier)) {}  // NOLINT
  MetricArg(std::shared_ptr<Metric> metric) : metric_(std::move(metric)) {}  // NOLINT
  template <std::derived_from<Metric> MetricType>
  MetricArg(MetricType metric)
      : metric_(std::make_shared<MetricType>(std::move(metric))) {}  // NOLINT

  [[nodiscard]] const std::string& identifier() const noexcept { return identifier_; }
  /// The metric object given, or null when an identifier was given.
  [[nodiscard]] const std::shared_ptr<Metric>& metric() const noexcept { return metric_; }

 private:
  std::string identifier_;
  std::shared_ptr<Metric> metric_;
};

}  // namespace keras::metrics
