// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/mean_absolute_error.h"

#include "detail/tensor_values.h"
#include "losses/loss_config.h"
#include "losses/sample_losses.h"
#include "losses/target_checks.h"

#include <cmath>

namespace keras::losses {
namespace {

// The derivative of |p - t| is sign(p - t), 0 where they are equal (as TensorFlow's).
double absolute_error(double t, double p, double& derivative) {
  derivative = p > t ? 1.0 : (p < t ? -1.0 : 0.0);
  return std::abs(p - t);
}

detail::SampleLosses evaluate(const MeanAbsoluteError& loss, const Tensor& y_true,
                              const Tensor& y_pred, bool with_gradient) {
  loss.check_targets(Shape::of(y_true.shape()), Shape::of(y_pred.shape()), y_true.dtype());
  return detail::mean_over_axis(
      keras::detail::to_doubles(y_true), keras::detail::to_doubles(y_pred),
      detail::ClassAxis(y_pred.shape(), y_pred.rank() - 1), with_gradient, absolute_error);
}

}  // namespace

MeanAbsoluteError::MeanAbsoluteError(MeanAbsoluteErrorOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor MeanAbsoluteError::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  const detail::SampleLosses losses = evaluate(*this, y_true, y_pred, false);
  return detail::per_sample_tensor(losses,
                                   detail::shape_without(y_pred.shape(), y_pred.rank() - 1));
}

Loss::ValueAndGradient MeanAbsoluteError::value_and_gradient(const Tensor& y_true,
                                                             const Tensor& y_pred) const {
  return detail::reduce(evaluate(*this, y_true, y_pred, true), reduction(), y_pred.shape());
}

void MeanAbsoluteError::check_targets(const Shape& y_true, const Shape& y_pred,
                                      DType /*y_true_dtype*/) const {
  detail::check_rank_at_least_1(*this, y_pred);
  // Keras would broadcast other shapes silently; kerascpp refuses them.
  detail::check_elementwise_target(*this, y_true, y_pred);
}

std::string MeanAbsoluteError::get_config() const { return detail::base_config(*this).dump(); }

namespace detail {

std::shared_ptr<Loss> mean_absolute_error_from_config(LossConfig& config) {
  return std::make_shared<MeanAbsoluteError>(MeanAbsoluteErrorOptions{
      .reduction = config.reduction(),
      .name = config.get<std::string>("name", "mean_absolute_error"),
  });
}

}  // namespace detail
}  // namespace keras::losses
