// SPDX-License-Identifier: Apache-2.0
#include "keras/losses/sparse_categorical_crossentropy.h"

#include "detail/tensor_values.h"
#include "losses/loss_config.h"
#include "losses/sample_losses.h"
#include "losses/target_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>

namespace keras::losses {
namespace {

std::int64_t class_index(const Loss& loss, double label, std::int64_t classes,
                         std::int64_t sample) {
  if (label != std::floor(label)) {  // NaN included
    throw ValueError(fmt::format(
        "Loss \"{}\": Received a label value of {}, which is not an integer class index "
        "(sample {})",
        loss.name(), label, sample));
  }
  if (label < 0.0 || label >= static_cast<double>(classes)) {
    throw ValueError(fmt::format(
        "Loss \"{}\": Received a label value of {} which is outside the valid range of [0, {}) "
        "(sample {})",
        loss.name(), label, classes, sample));
  }
  return static_cast<std::int64_t>(label);
}

// Keras 3's TensorFlow backend on probabilities: c = clip(p), then the sparse softmax
// cross-entropy of log(c), i.e. loss = -log(c[label] / sum(c)). Where p_j is not clipped
// dloss/dp_j = 1 / sum(c) - [j == label] / c[label], else 0.
double probabilities_cross_entropy(std::span<const double> p, std::size_t label,
                                   std::span<double> gradient) {
  double total = 0.0;
  for (const double value : p) total += std::clamp(value, detail::clip_low, detail::clip_high);
  const double at_label = std::clamp(p[label], detail::clip_low, detail::clip_high);
  for (std::size_t j = 0; j < gradient.size(); ++j) {
    const bool passes = p[j] >= detail::clip_low && p[j] <= detail::clip_high;
    gradient[j] = passes ? 1.0 / total - (j == label ? 1.0 / at_label : 0.0) : 0.0;
  }
  return std::log(total) - std::log(at_label);
}

// On logits, as tf.nn.sparse_softmax_cross_entropy_with_logits: loss = -log_softmax(x)[label]
// with the stable log-softmax, not clipped; dloss/dx_j = softmax(x)_j - [j == label].
double logits_cross_entropy(std::span<const double> x, std::size_t label,
                            std::span<double> gradient) {
  const double peak = *std::max_element(x.begin(), x.end());
  double exp_sum = 0.0;
  for (const double value : x) exp_sum += std::exp(value - peak);
  const double log_sum = peak + std::log(exp_sum);
  for (std::size_t j = 0; j < gradient.size(); ++j) {
    gradient[j] = std::exp(x[j] - log_sum) - (j == label ? 1.0 : 0.0);
  }
  return log_sum - x[label];
}

detail::SampleLosses evaluate(const SparseCategoricalCrossentropy& loss, const Tensor& y_true,
                              const Tensor& y_pred, bool with_gradient) {
  loss.check_targets(Shape::of(y_true.shape()), Shape::of(y_pred.shape()), y_true.dtype());
  const SparseCategoricalCrossentropyOptions& options = loss.options();
  const std::int64_t classes = y_pred.dim(-1);
  // One label per sample, in sample order: a trailing axis of 1 changes nothing in memory.
  const std::vector<double> labels = keras::detail::to_doubles(y_true);
  const std::vector<double> predictions = keras::detail::to_doubles(y_pred);

  // Plain loops over batch x classes values: O(batch * classes), not the hot path.
  detail::SampleLosses losses;
  losses.values.assign(labels.size(), 0.0);
  if (with_gradient) losses.gradient.assign(predictions.size(), 0.0);
  const auto width = static_cast<std::size_t>(classes);
  std::int64_t counted = 0;
  std::vector<double> unused_gradient(with_gradient ? 0 : width);
  for (std::size_t sample = 0; sample < labels.size(); ++sample) {
    // Keras masks ignored samples out: no loss, no gradient, not in the mean.
    if (options.ignore_class && labels[sample] == *options.ignore_class) continue;
    const auto label = static_cast<std::size_t>(
        class_index(loss, labels[sample], classes, static_cast<std::int64_t>(sample)));
    ++counted;
    const std::span<const double> row(predictions.data() + sample * width, width);
    const std::span<double> gradient =
        with_gradient ? std::span<double>(losses.gradient.data() + sample * width, width)
                      : std::span<double>(unused_gradient);
    losses.values[sample] = options.from_logits ? logits_cross_entropy(row, label, gradient)
                                                : probabilities_cross_entropy(row, label, gradient);
  }
  // Keras weighs valid samples by total / (valid + epsilon) for sum_over_batch_size.
  if (options.ignore_class) losses.mean_divisor = static_cast<double>(counted) + detail::epsilon;
  return losses;
}

}  // namespace

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(
    SparseCategoricalCrossentropyOptions options)
    : Loss(options.name, options.reduction), options_(std::move(options)) {}

Tensor SparseCategoricalCrossentropy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
  const detail::SampleLosses losses = evaluate(*this, y_true, y_pred, false);
  return detail::per_sample_tensor(losses,
                                   detail::shape_without(y_pred.shape(), y_pred.rank() - 1));
}

Loss::ValueAndGradient SparseCategoricalCrossentropy::value_and_gradient(
    const Tensor& y_true, const Tensor& y_pred) const {
  return detail::reduce(evaluate(*this, y_true, y_pred, true), reduction(), y_pred.shape());
}

void SparseCategoricalCrossentropy::check_targets(const Shape& y_true, const Shape& y_pred,
                                                  DType /*y_true_dtype*/) const {
  detail::check_rank_at_least_1(*this, y_pred);
  if (detail::is_label_target(y_true, y_pred)) return;
  const bool squeezes =
      y_true.rank() == y_pred.rank() && y_true.rank() > 0 && y_true[y_true.rank() - 1] == Dim(1);
  if ((squeezes ? y_true.rank() - 1 : y_true.rank()) != y_pred.rank() - 1) {
    throw ValueError(fmt::format(
        "Loss \"{}\": Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
        "target.shape={}, output.shape={}{}",
        name(), y_true.to_string(), y_pred.to_string(),
        y_true.is_compatible_with(y_pred) ? ". For one-hot targets use "
                                            "loss=\"categorical_crossentropy\""
                                          : ""));
  }
  throw ValueError(fmt::format(
      "Loss \"{}\": Arguments `target` and `output` must have the same shape up until the last "
      "dimension: target.shape={}, output.shape={}",
      name(), y_true.to_string(), y_pred.to_string()));
}

std::string SparseCategoricalCrossentropy::get_config() const {
  io::Json config = detail::base_config(*this);
  config["from_logits"] = options_.from_logits;
  config["ignore_class"] = options_.ignore_class ? io::Json(*options_.ignore_class) : io::Json();
  return config.dump();
}

namespace detail {

std::shared_ptr<Loss> sparse_categorical_crossentropy_from_config(LossConfig& config) {
  return std::make_shared<SparseCategoricalCrossentropy>(SparseCategoricalCrossentropyOptions{
      .from_logits = config.get<bool>("from_logits", false),
      .ignore_class = config.optional_int("ignore_class"),
      .reduction = config.reduction(),
      .name = config.get<std::string>("name", "sparse_categorical_crossentropy"),
  });
}

}  // namespace detail
}  // namespace keras::losses
