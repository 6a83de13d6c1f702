// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/categorical_crossentropy.h"

#include "detail/tensor_values.h"
#include "losses/loss_config.h"
#include "losses/sample_losses.h"
#include "losses/target_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace keras::losses {
namespace {

// Keras 3 (TensorFlow backend) on probabilities: p = y / sum(y), c = clip(p), loss =
// -sum(t * log c). Where p is not clipped dloss/dp_j = -t_j / c_j (else 0), and through the
// renormalisation dloss/dy_k = (dloss/dp_k - sum_j dloss/dp_j * p_j) / sum(y).
double probabilities_cross_entropy(const std::vector<double>& t, const std::vector<double>& y,
                                   std::vector<double>* gradient) {
  double total = 0.0;
  for (const double value : y) total += value;
  double loss = 0.0;
  double through_renormalisation = 0.0;
  for (std::size_t j = 0; j < y.size(); ++j) {
    const double p = y[j] / total;
    const double clipped = std::clamp(p, detail::clip_low, detail::clip_high);
    loss -= t[j] * std::log(clipped);
    if (gradient != nullptr) {
      const bool passes = p >= detail::clip_low && p <= detail::clip_high;
      (*gradient)[j] = passes ? -t[j] / clipped : 0.0;
      through_renormalisation += (*gradient)[j] * p;
    }
  }
  if (gradient != nullptr) {
    for (double& g : *gradient) g = (g - through_renormalisation) / total;
  }
  return loss;
}

// On logits, as tf.nn.softmax_cross_entropy_with_logits: loss = -sum(t * log_softmax(x)),
// with the stable log-softmax x - max - log(sum(exp(x - max))), not clipped;
// dloss/dx_k = softmax(x)_k * sum(t) - t_k.
double logits_cross_entropy(const std::vector<double>& t, const std::vector<double>& x,
                            std::vector<double>* gradient) {
  if (x.empty()) return 0.0;
  const double peak = *std::max_element(x.begin(), x.end());
  double exp_sum = 0.0;
  for (const double value : x) exp_sum += std::exp(value - peak);
  const double log_sum = peak + std::log(exp_sum);
  double loss = 0.0;
  double t_sum = 0.0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    loss -= t[j] * (x[j] - log_sum);
    t_sum += t[j];
  }
  if (gradient != nullptr) {
    for (std::size_t j = 0; j < x.size(); ++j) {
      (*gradient)[j] = std::exp(x[j] - log_sum) * t_sum - t[j];
    }
  }
  return loss;
}

detail::SampleLosses evaluate(const CategoricalCrossentropy& loss, const Tensor& y_true,
                              const Tensor& y_pred, bool with_gradient) {
  const Shape pred_shape = Shape::of(y_pred.shape());
  loss.check_targets(Shape::of(y_true.shape()), pred_shape, y_true.dtype());
  const CategoricalCrossentropyOptions& options = loss.options();
  const detail::ClassAxis layout(y_pred.shape(),
                                 detail::normalize_axis(loss, options.axis, pred_shape));
  std::vector<double> targets = keras::detail::to_doubles(y_true);
  const std::vector<double> predictions = keras::detail::to_doubles(y_pred);
  if (options.label_smoothing != 0.0) {
    // Keras divides by the size of the last axis, whatever `axis` is.
    const auto classes = static_cast<double>(y_pred.dim(-1));
    for (double& t : targets) {
      t = t * (1.0 - options.label_smoothing) + options.label_smoothing / classes;
    }
  }

  // Plain loops over batch x classes values: O(batch * classes), not the hot path.
  detail::SampleLosses losses;
  losses.values.resize(static_cast<std::size_t>(layout.samples()));
  if (with_gradient) losses.gradient.resize(predictions.size());
  const auto classes = static_cast<std::size_t>(layout.classes);
  std::vector<double> t(classes), x(classes), gradient(classes);
  for (std::int64_t sample = 0; sample < layout.samples(); ++sample) {
    for (std::size_t c = 0; c < classes; ++c) {
      const auto at =
          static_cast<std::size_t>(layout.element(sample, static_cast<std::int64_t>(c)));
      t[c] = targets[at];
      x[c] = predictions[at];
    }
    std::vector<double>* wanted = with_gradient ? &gradient : nullptr;
    losses.values[static_cast<std::size_t>(sample)] =
        options.from_logits ? logits_cross_entropy(t, x, wanted)
                            : probabilities_cross_entropy(t, x, wanted);
    if (!with_gradient) continue;
    for (std::size_t c = 0; c < classes; ++c) {
      losses.gradient[static_cast<std::size_t>(
          layout.element(sample, static_cast<std::int64_t>(c)))] = gradient[c];
    }
  }
  return losses;
}

}  // namespace

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor CategoricalCrossentropy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  const detail::SampleLosses losses = evaluate(*this, y_true, y_pred, false);
  const int axis = detail::normalize_axis(*this, options_.axis, Shape::of(y_pred.shape()));
  return detail::per_sample_tensor(losses, detail::shape_without(y_pred.shape(), axis));
}

Loss::ValueAndGradient CategoricalCrossentropy::value_and_gradient(const Tensor& y_true,
                                                                   const Tensor& y_pred) const {
  return detail::reduce(evaluate(*this, y_true, y_pred, true), reduction(), y_pred.shape());
}

void CategoricalCrossentropy::check_targets(const Shape& y_true, const Shape& y_pred,
                                            DType y_true_dtype) const {
  detail::check_rank_at_least_1(*this, y_pred);
  (void)detail::normalize_axis(*this, options_.axis, y_pred);
  std::string hint;
  if (!detail::is_elementwise_target(y_true, y_pred) && detail::is_label_target(y_true, y_pred)) {
    const Dim classes = y_pred[y_pred.rank() - 1];
    const bool integral = y_true_dtype != DType::float32 && y_true_dtype != DType::float64;
    hint = fmt::format(
        ". {} of shape {} {} class labels: use loss=\"sparse_categorical_crossentropy\", or "
        "one-hot encode them with keras::utils::to_categorical(y, {})",
        integral ? "Integer targets" : "Targets", y_true.to_string(),
        integral ? "are" : "look like", classes ? std::to_string(*classes) : "num_classes");
  }
  detail::check_elementwise_target(*this, y_true, y_pred, hint);
}

std::string CategoricalCrossentropy::get_config() const {
  return detail::cross_entropy_config(*this).dump();
}

namespace detail {

std::shared_ptr<Loss> categorical_crossentropy_from_config(LossConfig& config) {
  return cross_entropy_from_config<CategoricalCrossentropy, CategoricalCrossentropyOptions>(
      config, "categorical_crossentropy");
}

}  // namespace detail
}  // namespace keras::losses
