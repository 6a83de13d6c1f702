// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"
#include "keras/variable.h"
#include "kernels/activation.h"
#include "kernels/input_gradient.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace keras::kernels {

/// Dense's product on oneDNN's inner product: `dst = activation(src · weights + bias)` for
/// `src` (rows, in) and weights in Keras's layout (in, out). The primitives are made once for
/// a shape (each when first needed) and reused; `matches` tells whether this plan fits a new
/// input. The activation is fused as a post-op where it is one oneDNN eltwise (see
/// fused_activation.h). oneDNN picks the weights layout; the plan keeps the weights reordered
/// into it, reordering again only when the Variable's version() moved, and reorders the
/// weight gradient back to (in, out).
class InnerProductPlan {
 public:
  InnerProductPlan(std::int64_t rows, std::int64_t in, std::int64_t out, bool with_bias,
                   const ActivationSpec& activation);
  ~InnerProductPlan();
  InnerProductPlan(InnerProductPlan&&) noexcept;
  InnerProductPlan& operator=(InnerProductPlan&&) noexcept;

  [[nodiscard]] bool matches(std::int64_t rows) const noexcept;
  /// Whether forward applies the activation; if not (softmax, selu, ...), forward returns
  /// the pre-activation and the layer applies it, and backward takes its gradient.
  [[nodiscard]] bool applies_activation() const noexcept;

  /// dst (rows, out) = activation(src · weights + bias); `bias` is ignored without a bias.
  /// `training` says whether a backward may follow (an activation whose backward reads its
  /// input is fused only when it is false). Keeps src, the weights and what the activation's
  /// backward reads.
  [[nodiscard]] Tensor forward(const Tensor& src, const Variable& weights, const Tensor& bias,
                               bool training);
  /// diff_src (rows, in) for diff_dst of the last forward; overwrites diff_weights (in, out)
  /// and diff_bias (out; ignored without a bias).
  [[nodiscard]] Tensor backward(const Tensor& diff_dst, Tensor& diff_weights, Tensor& diff_bias,
                                InputGradient input_gradient = InputGradient::compute);

  /// For tests: whether the forward's weights layout differs from Keras's, and how many
  /// times the weights were reordered into a primitive's layout.
  [[nodiscard]] bool reorders_weights() const;
  [[nodiscard]] std::int64_t weights_reorder_count() const;

 private:
  struct Primitives;
  std::unique_ptr<Primitives> primitives_;
};

}  // namespace keras::kernels
