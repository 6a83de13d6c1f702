// SPDX-License-Identifier: Apache-2.0
// Kernel-internal, like engine.h: it includes oneDNN, so only src/kernels/*.cpp include it.
#pragma once

#include "keras/tensor.h"
#include "kernels/activation.h"
#include "kernels/activation_program.h"
#include "kernels/engine.h"

#include <functional>
#include <optional>

namespace keras::kernels {

/// The activation of a convolution or inner product plan. One that is a single oneDNN eltwise
/// algorithm (activation_as_eltwise) is applied by the plan as a post-op of its primitive, so
/// the output is written once; backward stays exact:
/// - backward reads the output (relu, leaky_relu, relu6, elu, tanh, sigmoid, exponential):
///   always fused, and differentiated from the kept output;
/// - backward reads the input (gelu, silu, softplus, hard_silu, mish): fused for inference;
///   a training forward runs the primitive without the post-op, keeps that pre-activation
///   and applies the eltwise after it. A backward after an inference forward has the plan
///   recompute the pre-activation.
/// Linear needs nothing; any other activation (softmax, selu, ...) is left to the layer.
class FusedActivation {
 public:
  /// For the plan's destination layout `dst`.
  FusedActivation(const ActivationSpec& spec, const dnnl::memory::desc& dst);

  /// Whether a plan applies `spec` (linear, or one eltwise); if not, the layer applies it to
  /// the plan's output.
  [[nodiscard]] static bool applies(const ActivationSpec& spec);
  /// Whether a forward with this `training` runs the primitive with post_ops().
  [[nodiscard]] bool fused(bool training) const noexcept;
  /// The primitive attribute carrying the eltwise post-op (empty when there is none).
  [[nodiscard]] dnnl::primitive_attr post_ops() const;

  /// The forward output from `primitive_dst`, what the primitive wrote (with the post-op as
  /// fused(training) said); keeps what backward reads.
  [[nodiscard]] Tensor forward(const Tensor& primitive_dst, bool training);
  /// dL/d(pre-activation) from dL/doutput of the last forward; `recompute_linear` returns the
  /// pre-activation when the forward did not keep it.
  [[nodiscard]] Tensor backward(const Tensor& diff_dst,
                                const std::function<Tensor()>& recompute_linear);

 private:
  [[nodiscard]] bool backward_reads_output() const;

  std::optional<EltwiseActivation> eltwise_;  // none: linear, or applied by the layer
  dnnl::memory::desc dst_;
  dnnl::eltwise_forward forward_;    // the unfused eltwise of a training forward, made once
  dnnl::eltwise_backward backward_;  // made at the first backward
  Tensor kept_;  // the output, or the pre-activation of a training forward; else undefined
};

}  // namespace keras::kernels
