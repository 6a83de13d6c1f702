// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/mean_squared_error.h"

#include "losses/loss_config.h"
#include "losses/mean_error.h"

namespace keras::losses {
namespace {

double squared_error(double t, double p, double& derivative) {
  derivative = 2.0 * (p - t);
  return (p - t) * (p - t);
}

}  // namespace

MeanSquaredError::MeanSquaredError(MeanSquaredErrorOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor MeanSquaredError::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  return detail::mean_error_per_sample(*this, y_true, y_pred, squared_error);
}

Loss::ValueAndGradient MeanSquaredError::value_and_gradient(const Tensor& y_true,
                                                            const Tensor& y_pred) const {
  return detail::mean_error_value_and_gradient(*this, y_true, y_pred, squared_error);
}

void MeanSquaredError::check_targets(const Shape& y_true, const Shape& y_pred,
                                     DType /*y_true_dtype*/) const {
  detail::check_mean_error_targets(*this, y_true, y_pred);
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
