// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/mean_squared_error.h"

#include "detail/tensor_values.h"
#include "losses/loss_config.h"
#include "losses/sample_losses.h"
#include "losses/target_checks.h"

namespace keras::losses {
namespace {

double squared_error(double t, double p, double& derivative) {
  derivative = 2.0 * (p - t);
  return (p - t) * (p - t);
}

detail::SampleLosses evaluate(const MeanSquaredError& loss, const Tensor& y_true,
                              const Tensor& y_pred, bool with_gradient) {
  loss.check_targets(Shape::of(y_true.shape()), Shape::of(y_pred.shape()), y_true.dtype());
  return detail::mean_over_axis(
      keras::detail::to_doubles(y_true), keras::detail::to_doubles(y_pred),
      detail::ClassAxis(y_pred.shape(), y_pred.rank() - 1), with_gradient, squared_error);
}

}  // namespace

MeanSquaredError::MeanSquaredError(MeanSquaredErrorOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor MeanSquaredError::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  const detail::SampleLosses losses = evaluate(*this, y_true, y_pred, false);
  return detail::per_sample_tensor(losses,
                                   detail::shape_without(y_pred.shape(), y_pred.rank() - 1));
}

Loss::ValueAndGradient MeanSquaredError::value_and_gradient(const Tensor& y_true,
                                                            const Tensor& y_pred) const {
  return detail::reduce(evaluate(*this, y_true, y_pred, true), reduction(), y_pred.shape());
}

void MeanSquaredError::check_targets(const Shape& y_true, const Shape& y_pred,
                                     DType /*y_true_dtype*/) const {
  detail::check_rank_at_least_1(*this, y_pred);
  // Keras would broadcast other shapes silently; kerascpp refuses them.
  detail::check_elementwise_target(*this, y_true, y_pred);
}

std::string MeanSquaredError::get_config() const { return detail::base_config(*this).dump(); }

namespace detail {

std::shared_ptr<Loss> mean_squared_error_from_config(LossConfig& config) {
  return std::make_shared<MeanSquaredError>(MeanSquaredErrorOptions{
      .reduction = config.reduction(),
      .name = config.get<std::string>("name", "mean_squared_error"),
  });
}

}  // namespace detail
}  // namespace keras::losses
