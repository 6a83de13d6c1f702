// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "detail/tensor_values.h"
#include "keras/metrics/metric.h"
#include "keras/tensor.h"

#include <cstdint>
#include <string_view>
#include <vector>

// What Keras's MeanMetricWrapper functions share: the target shapes they take, the per-row
// argmax they compare, and per-row means handed to Mean. Plain loops over batch x classes
// values: O(batch * classes), not the hot path.
namespace keras::metrics::detail {

/// Throws Keras's "must have the same shape" ValueError naming the metric, with `hint`
/// appended.
[[noreturn]] void throw_shape_mismatch(const Metric& metric, const Tensor& y_true,
                                       const Tensor& y_pred, std::string_view hint = {});

/// Throws ValueError naming the metric unless y_true holds one value per element of y_pred
/// (rank >= 1): the same shape, or (N,) for (N, 1) (Keras expands such targets).
void check_elementwise_target(const Metric& metric, const Tensor& y_true, const Tensor& y_pred);

/// Throws ValueError naming the metric unless y_pred has a last axis with at least one class.
void check_has_class_axis(const Metric& metric, const Tensor& y_pred);

/// Throws ValueError naming the metric unless y_true holds one class label per row of y_pred
/// (whose last axis holds the classes): y_pred's shape without the last axis, or with a
/// last axis of 1.
void check_label_target(const Metric& metric, const Tensor& y_true, const Tensor& y_pred);

/// The index of the largest value of each row along the last axis (the first on ties, as
/// `ops.argmax`).
[[nodiscard]] std::vector<std::int64_t> argmax_rows(const Tensor& tensor);

/// One value per row of `rows_of` (its shape without the last axis), as a float64 tensor.
[[nodiscard]] Tensor per_row(const std::vector<double>& values, const Tensor& rows_of);

/// Per row of y_pred, the mean over its last axis of `elementwise(t, p)` for the targets and
/// predictions that go together (check_elementwise_target first).
template <typename Elementwise>
[[nodiscard]] Tensor row_means(const Tensor& y_true, const Tensor& y_pred,
                               Elementwise elementwise) {
  const std::vector<double> targets = keras::detail::to_doubles(y_true);
  const std::vector<double> predictions = keras::detail::to_doubles(y_pred);
  const auto width = static_cast<std::size_t>(y_pred.dim(-1));
  std::vector<double> means(width == 0 ? 0 : predictions.size() / width);
  for (std::size_t row = 0; row < means.size(); ++row) {
    double sum = 0.0;
    for (std::size_t c = 0; c < width; ++c) {
      sum += elementwise(targets[row * width + c], predictions[row * width + c]);
    }
    means[row] = sum / static_cast<double>(width);
  }
  return per_row(means, y_pred);
}

}  // namespace keras::metrics::detail
