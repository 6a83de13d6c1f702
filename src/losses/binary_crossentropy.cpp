// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/binary_crossentropy.h"

#include "detail/tensor_values.h"
#include "losses/loss_config.h"
#include "losses/sample_losses.h"
#include "losses/target_checks.h"

#include <algorithm>
#include <cmath>

namespace keras::losses {
namespace {

// Keras 3 on probabilities: c = clip(p), -(t log c + (1 - t) log(1 - c)); no gradient
// where p is clipped.
double probabilities_cross_entropy(double t, double p, double& derivative) {
  const double clipped = std::clamp(p, detail::clip_low, detail::clip_high);
  const bool passes = p >= detail::clip_low && p <= detail::clip_high;
  derivative = passes ? -t / clipped + (1.0 - t) / (1.0 - clipped) : 0.0;
  return -(t * std::log(clipped) + (1.0 - t) * std::log(1.0 - clipped));
}

// On logits, as tf.nn.sigmoid_cross_entropy_with_logits: max(x, 0) - x t + log(1 + e^-|x|),
// not clipped; the derivative is sigmoid(x) - t.
double logits_cross_entropy(double t, double x, double& derivative) {
  derivative = 1.0 / (1.0 + std::exp(-x)) - t;
  return std::max(x, 0.0) - x * t + std::log1p(std::exp(-std::abs(x)));
}

detail::SampleLosses evaluate(const BinaryCrossentropy& loss, const Tensor& y_true,
                              const Tensor& y_pred, bool with_gradient) {
  const Shape pred_shape = Shape::of(y_pred.shape());
  loss.check_targets(Shape::of(y_true.shape()), pred_shape, y_true.dtype());
  const BinaryCrossentropyOptions& options = loss.options();
  std::vector<double> targets = keras::detail::to_doubles(y_true);
  if (options.label_smoothing != 0.0) {
    for (double& t : targets) {
      t = t * (1.0 - options.label_smoothing) + 0.5 * options.label_smoothing;
    }
  }
  const detail::ClassAxis layout(y_pred.shape(),
                                 detail::normalize_axis(loss, options.axis, pred_shape));
  const std::vector<double> predictions = keras::detail::to_doubles(y_pred);
  return options.from_logits ? detail::mean_over_axis(targets, predictions, layout, with_gradient,
                                                      logits_cross_entropy)
                             : detail::mean_over_axis(targets, predictions, layout, with_gradient,
                                                      probabilities_cross_entropy);
}

}  // namespace

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor BinaryCrossentropy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  const detail::SampleLosses losses = evaluate(*this, y_true, y_pred, false);
  const int axis = detail::normalize_axis(*this, options_.axis, Shape::of(y_pred.shape()));
  return detail::per_sample_tensor(losses, detail::shape_without(y_pred.shape(), axis));
}

Loss::ValueAndGradient BinaryCrossentropy::value_and_gradient(const Tensor& y_true,
                                                              const Tensor& y_pred) const {
  return detail::reduce(evaluate(*this, y_true, y_pred, true), reduction(), y_pred.shape());
}

void BinaryCrossentropy::check_targets(const Shape& y_true, const Shape& y_pred,
                                       DType /*y_true_dtype*/) const {
  detail::check_rank_at_least_1(*this, y_pred);
  (void)detail::normalize_axis(*this, options_.axis, y_pred);
  detail::check_elementwise_target(*this, y_true, y_pred);
}

std::string BinaryCrossentropy::get_config() const {
  return detail::cross_entropy_config(*this).dump();
}

namespace detail {

std::shared_ptr<Loss> binary_crossentropy_from_config(LossConfig& config) {
  return cross_entropy_from_config<BinaryCrossentropy, BinaryCrossentropyOptions>(
      config, "binary_crossentropy");
}

}  // namespace detail
}  // namespace keras::losses
