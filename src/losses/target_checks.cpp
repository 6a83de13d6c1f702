// SPDX-License-Identifier: Apache-2.0
#include "losses/target_checks.h"

#include "keras/error.h"

#include <fmt/format.h>

namespace keras::losses::detail {
namespace {

Shape without_last_axis(const Shape& shape) {
  return Shape(std::vector<Dim>(shape.begin(), shape.end() - 1));
}

}  // namespace

void check_rank_at_least_1(const Loss& loss, const Shape& y_pred) {
  if (y_pred.rank() >= 1) return;
  throw ValueError(fmt::format(
      "Loss \"{}\": Argument `output` must be at least rank 1. Received: output.shape={}",
      loss.name(), y_pred.to_string()));
}

int normalize_axis(const Loss& loss, int axis, const Shape& y_pred) {
  const int rank = y_pred.rank();
  if (axis < -rank || axis >= rank) {
    throw ValueError(
        fmt::format("Loss \"{}\": axis {} is out of bounds for predictions of rank {}. Received: "
                    "output.shape={}",
                    loss.name(), axis, rank, y_pred.to_string()));
  }
  return axis < 0 ? axis + rank : axis;
}

bool is_elementwise_target(const Shape& y_true, const Shape& y_pred) {
  if (y_true.is_compatible_with(y_pred)) return true;
  // Keras's squeeze_or_expand_to_same_rank: targets of rank 1 gain the predictions' size-1 axis.
  return y_true.rank() == 1 && y_pred.rank() == 2 && y_pred[1] == Dim(1) &&
         y_true.is_compatible_with(without_last_axis(y_pred));
}

void check_elementwise_target(const Loss& loss, const Shape& y_true, const Shape& y_pred,
                              std::string_view hint) {
  if (is_elementwise_target(y_true, y_pred)) return;
  throw ValueError(
      fmt::format("Loss \"{}\": Arguments `target` and `output` must have the same {}. Received: "
                  "target.shape={}, output.shape={}{}",
                  loss.name(), y_true.rank() == y_pred.rank() ? "shape" : "rank (ndim)",
                  y_true.to_string(), y_pred.to_string(), hint));
}

bool is_label_target(const Shape& y_true, const Shape& y_pred) {
  if (y_pred.rank() < 1) return false;
  const Shape samples = without_last_axis(y_pred);
  if (y_true.is_compatible_with(samples)) return true;
  return y_true.rank() == y_pred.rank() && y_true[y_true.rank() - 1] == Dim(1) &&
         without_last_axis(y_true).is_compatible_with(samples);
}

}  // namespace keras::losses::detail
