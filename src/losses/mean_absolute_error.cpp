// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/mean_absolute_error.h"

#include "losses/loss_config.h"
#include "losses/mean_error.h"

#include <cmath>

namespace keras::losses {
namespace {

// The derivative of |p - t| is sign(p - t), 0 where they are equal (as TensorFlow's).
double absolute_error(double t, double p, double& derivative) {
  derivative = p > t ? 1.0 : (p < t ? -1.0 : 0.0);
  return std::abs(p - t);
}

}  // namespace

MeanAbsoluteError::MeanAbsoluteError(MeanAbsoluteErrorOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor MeanAbsoluteError::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  return detail::mean_error_per_sample(*this, y_true, y_pred, absolute_error);
}

Loss::ValueAndGradient MeanAbsoluteError::value_and_gradient(const Tensor& y_true,
                                                             const Tensor& y_pred) const {
  return detail::mean_error_value_and_gradient(*this, y_true, y_pred, absolute_error);
}

void MeanAbsoluteError::check_targets(const Shape& y_true, const Shape& y_pred,
                                      DType /*y_true_dtype*/) const {
  detail::check_mean_error_targets(*this, y_true, y_pred);
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
