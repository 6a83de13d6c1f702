// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <array>
#include <memory>
#include <string>

namespace keras::kernels {

/// BatchNormalization on oneDNN's batch normalization primitives, for a channel `axis` of a
/// row-major tensor of any rank. `dst = scale · (src − mean) / sqrt(variance + epsilon) + shift`
/// per channel; without `use_scale` / `use_shift` the scale is 1 / the shift 0.
///
/// The primitives are made once per input shape and mode (training: batch statistics;
/// inference: given statistics) and reused. What backward needs from the last forward (src,
/// the statistics it used, which primitives ran) is kept here explicitly.
class BatchNormalizationPlan {
 public:
  BatchNormalizationPlan(std::string layer_name, double epsilon, bool use_scale, bool use_shift);
  ~BatchNormalizationPlan();
  BatchNormalizationPlan(const BatchNormalizationPlan&) = delete;
  BatchNormalizationPlan& operator=(const BatchNormalizationPlan&) = delete;

  /// Normalises with the batch mean and biased (divide by N) variance over every axis but
  /// `axis` (non-negative), and keeps them for backward and update_moving_statistics.
  [[nodiscard]] Tensor forward_training(const Tensor& src, int axis, const Tensor& scale,
                                        const Tensor& shift);
  /// Normalises with the given (moving) statistics, which backward then treats as constants.
  [[nodiscard]] Tensor forward_inference(const Tensor& src, int axis, const Tensor& scale,
                                         const Tensor& shift, const Tensor& mean,
                                         const Tensor& variance);
  /// `moving = moving · momentum + batch statistic · (1 − momentum)`, with the statistics of
  /// the last forward_training (oneDNN's sum).
  void update_moving_statistics(Tensor& moving_mean, Tensor& moving_variance, double momentum);
  /// diff_src for diff_dst of the last forward; diff_scale and diff_shift (C) are overwritten
  /// when the plan uses a scale / shift. Through the batch statistics after forward_training,
  /// with the statistics held fixed after forward_inference.
  [[nodiscard]] Tensor backward(const Tensor& diff_dst, const Tensor& scale, const Tensor& shift,
                                Tensor& diff_scale, Tensor& diff_shift);

 private:
  struct Primitives;
  [[nodiscard]] Primitives& primitives_for(const Tensor& src, int axis, bool training);
  [[nodiscard]] Tensor forward(const Tensor& src, int axis, bool training, const Tensor& scale,
                               const Tensor& shift);

  std::string layer_name_;
  float epsilon_;
  bool use_scale_;
  bool use_shift_;
  std::array<std::unique_ptr<Primitives>, 2> primitives_;  // [inference, training]
  // What backward needs from the last forward.
  Primitives* last_ = nullptr;
  Tensor last_src_;   // contiguous
  Tensor last_mean_;  // the batch statistics (training) or the given ones (inference)
  Tensor last_variance_;
};

}  // namespace keras::kernels
