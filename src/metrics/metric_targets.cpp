// SPDX-License-Identifier: Apache-2.0
#include "metrics/metric_targets.h"

#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <algorithm>

namespace keras::metrics::detail {
namespace {

std::vector<std::int64_t> row_shape(const Tensor& tensor) {
  return {tensor.shape().begin(), tensor.shape().end() - 1};
}

std::string shape_text(const Tensor& tensor) { return Shape::of(tensor.shape()).to_string(); }

}  // namespace

void throw_shape_mismatch(const Metric& metric, const Tensor& y_true, const Tensor& y_pred,
                          std::string_view hint) {
  throw ValueError(
      fmt::format("Metric \"{}\": y_true and y_pred must have the same shape. Received: "
                  "y_true.shape={}, y_pred.shape={}{}",
                  metric.name(), shape_text(y_true), shape_text(y_pred), hint));
}

void check_elementwise_target(const Metric& metric, const Tensor& y_true, const Tensor& y_pred) {
  if (y_pred.rank() == 0) {
    throw ValueError(
        fmt::format("Metric \"{}\": y_pred must have at least one axis. Received: y_pred.shape=()",
                    metric.name()));
  }
  if (y_true.shape() == y_pred.shape()) return;
  if (y_true.rank() == 1 && y_pred.rank() == 2 && y_pred.dim(1) == 1 &&
      y_true.dim(0) == y_pred.dim(0)) {
    return;
  }
  throw_shape_mismatch(metric, y_true, y_pred);
}

void check_has_class_axis(const Metric& metric, const Tensor& y_pred) {
  if (y_pred.rank() >= 1 && y_pred.dim(-1) >= 1) return;
  throw ValueError(fmt::format(
      "Metric \"{}\": y_pred must have a last axis holding the classes. Received: y_pred.shape={}",
      metric.name(), shape_text(y_pred)));
}

void check_label_target(const Metric& metric, const Tensor& y_true, const Tensor& y_pred) {
  check_has_class_axis(metric, y_pred);
  const std::vector<std::int64_t> rows = row_shape(y_pred);
  std::vector<std::int64_t> rows_with_1 = rows;
  rows_with_1.push_back(1);
  if (y_true.shape() == rows || y_true.shape() == rows_with_1) return;
  throw ValueError(fmt::format(
      "Metric \"{}\": y_true must hold one class label per row of y_pred: y_pred's shape "
      "without its last axis, or with a last axis of 1. Received: y_true.shape={}, "
      "y_pred.shape={}",
      metric.name(), shape_text(y_true), shape_text(y_pred)));
}

std::vector<std::int64_t> argmax_rows(const Tensor& tensor) {
  const std::vector<double> values = keras::detail::to_doubles(tensor);
  const auto width = static_cast<std::ptrdiff_t>(tensor.dim(-1));
  std::vector<std::int64_t> indices(width == 0 ? 0
                                               : values.size() / static_cast<std::size_t>(width));
  for (std::size_t row = 0; row < indices.size(); ++row) {
    const auto first = values.begin() + static_cast<std::ptrdiff_t>(row) * width;
    indices[row] = std::max_element(first, first + width) - first;  // the first of equal maxima
  }
  return indices;
}

Tensor per_row(const std::vector<double>& values, const Tensor& rows_of) {
  Tensor rows = Tensor::empty(row_shape(rows_of), DType::float64);
  std::copy(values.begin(), values.end(), rows.data<double>());
  return rows;
}

}  // namespace keras::metrics::detail
