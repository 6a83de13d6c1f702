// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "detail/tensor_values.h"
#include "keras/losses/loss.h"
#include "losses/sample_losses.h"
#include "losses/target_checks.h"

// What MeanSquaredError and MeanAbsoluteError share, which differ only in their elementwise
// error: per sample, the mean over the last axis of `elementwise(t, p, derivative)` (the
// contract of mean_over_axis), against targets of y_pred's own shape.
namespace keras::losses::detail {

/// Keras would broadcast other target shapes silently; kerascpp refuses them.
inline void check_mean_error_targets(const Loss& loss, const Shape& y_true, const Shape& y_pred) {
  check_rank_at_least_1(loss, y_pred);
  check_elementwise_target(loss, y_true, y_pred);
}

template <typename Elementwise>
[[nodiscard]] SampleLosses mean_error(const Loss& loss, const Tensor& y_true, const Tensor& y_pred,
                                      bool with_gradient, Elementwise elementwise) {
  loss.check_targets(Shape::of(y_true.shape()), Shape::of(y_pred.shape()), y_true.dtype());
  return mean_over_axis(keras::detail::to_doubles(y_true), keras::detail::to_doubles(y_pred),
                        ClassAxis(y_pred.shape(), y_pred.rank() - 1), with_gradient, elementwise);
}

template <typename Elementwise>
[[nodiscard]] Tensor mean_error_per_sample(const Loss& loss, const Tensor& y_true,
                                           const Tensor& y_pred, Elementwise elementwise) {
  return per_sample_tensor(mean_error(loss, y_true, y_pred, false, elementwise),
                           shape_without(y_pred.shape(), y_pred.rank() - 1));
}

template <typename Elementwise>
[[nodiscard]] Loss::ValueAndGradient mean_error_value_and_gradient(const Loss& loss,
                                                                   const Tensor& y_true,
                                                                   const Tensor& y_pred,
                                                                   Elementwise elementwise) {
  return reduce(mean_error(loss, y_true, y_pred, true, elementwise), loss.reduction(),
                y_pred.shape());
}

}  // namespace keras::losses::detail
