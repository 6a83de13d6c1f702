// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"
#include "keras/tensor.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// What every loss shares once its per-sample values are known: the element layout around
// the class axis, Keras's clip bounds and the two reductions. Losses work on batch x classes
// tensors, O(batch * classes) plain loops, not the hot path; they accumulate in double.
namespace keras::losses::detail {

/// Keras clips probabilities to [epsilon, 1 - epsilon] with epsilon = 1e-7 in float32; the
/// float32 bounds, widened, make the same clipping decisions.
inline constexpr double clip_low = static_cast<double>(1e-7f);
inline constexpr double clip_high = static_cast<double>(1.0f - 1e-7f);
/// Keras's epsilon where it is added rather than clipped to (ignore_class's mean).
inline constexpr double epsilon = 1e-7;

/// A tensor seen as (outer, classes, inner) around its class axis: sample `s = o * inner + i`
/// owns the elements `(o * classes + c) * inner + i` for c in [0, classes).
struct ClassAxis {
  std::int64_t outer = 1;
  std::int64_t classes = 1;
  std::int64_t inner = 1;

  /// `shape` with `axis` in [0, rank).
  ClassAxis(const std::vector<std::int64_t>& shape, int axis);
  [[nodiscard]] std::int64_t samples() const noexcept { return outer * inner; }
  [[nodiscard]] std::int64_t element(std::int64_t sample, std::int64_t c) const noexcept {
    return ((sample / inner) * classes + c) * inner + sample % inner;
  }
};

/// `shape` without `axis`: the shape of the per-sample values.
[[nodiscard]] std::vector<std::int64_t> shape_without(std::vector<std::int64_t> shape, int axis);

/// The loss of each sample and, when asked for, the derivative of each sample's loss with
/// respect to the y_pred elements it owns (y_pred's layout; every element has one owner).
struct SampleLosses {
  std::vector<double> values;
  std::vector<double> gradient;
  /// What "sum_over_batch_size" divides by when not every sample counts (ignore_class).
  std::optional<double> mean_divisor;
};

/// Per sample, the mean over the class axis of `elementwise(t, p, derivative)`, which returns
/// the loss of one target and prediction and stores its derivative with respect to p
/// (binary cross-entropy, squared and absolute error).
template <typename Elementwise>
[[nodiscard]] SampleLosses mean_over_axis(const std::vector<double>& targets,
                                          const std::vector<double>& predictions,
                                          const ClassAxis& layout, bool with_gradient,
                                          Elementwise elementwise) {
  SampleLosses losses;
  losses.values.assign(static_cast<std::size_t>(layout.samples()), 0.0);
  if (with_gradient) losses.gradient.assign(predictions.size(), 0.0);
  const auto count = static_cast<double>(layout.classes);
  for (std::int64_t sample = 0; sample < layout.samples(); ++sample) {
    double sum = 0.0;
    for (std::int64_t c = 0; c < layout.classes; ++c) {
      const auto at = static_cast<std::size_t>(layout.element(sample, c));
      double derivative = 0.0;
      sum += elementwise(targets[at], predictions[at], derivative);
      if (with_gradient) losses.gradient[at] = derivative / count;
    }
    losses.values[static_cast<std::size_t>(sample)] = layout.classes > 0 ? sum / count : 0.0;
  }
  return losses;
}

/// The per-sample values as a float32 tensor of `shape`.
[[nodiscard]] Tensor per_sample_tensor(const SampleLosses& losses, std::vector<std::int64_t> shape);

/// Reduces as Keras: "sum", or "sum_over_batch_size" (the sum over the number of per-sample
/// values); the gradient, in y_pred's shape, is scaled alike. An empty batch gives 0 (Keras
/// returns the empty tensor unreduced).
[[nodiscard]] Loss::ValueAndGradient reduce(const SampleLosses& losses, std::string_view reduction,
                                            std::vector<std::int64_t> y_pred_shape);

}  // namespace keras::losses::detail
