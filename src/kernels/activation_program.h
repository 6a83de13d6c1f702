// SPDX-License-Identifier: Apache-2.0
// Kernel-internal, like engine.h: it includes oneDNN, so only src/kernels/*.cpp include it.
#pragma once

#include "keras/tensor.h"
#include "kernels/engine.h"

#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace keras::kernels {

/// A straight-line list of oneDNN primitives (eltwise, binary with post-ops, softmax) over
/// a few operands of one shape, made once and run many times: activation.cpp writes one per
/// activation and direction.
struct ActivationProgram {
  /// The caller's tensors, two temporaries of the same shape, then scalar constants
  /// (operand `constants + i`) that binary primitives broadcast.
  enum Operand : int { x, y, dy, dx, t0, t1, constants };

  /// A post-op of a binary step: eltwise when `operand` is negative, else binary with that
  /// operand as its second input.
  struct PostOp {
    dnnl::algorithm alg;
    int operand = -1;
    float alpha = 0.0f;
    float beta = 0.0f;
  };

  struct Step {
    dnnl::primitive primitive;
    std::vector<std::pair<int, int>> args;  // DNNL_ARG_* -> operand
  };

  dnnl::memory::desc data;  // every full-size operand
  dnnl::memory::desc scalar;
  int softmax_axis = 1;  // of `data`
  std::vector<Step> steps;
  std::vector<dnnl::memory> constant_memories;

  /// A broadcast scalar operand holding `value`.
  [[nodiscard]] int constant(float value);
  void eltwise(dnnl::algorithm alg, float alpha, float beta, int src, int dst);
  /// `operand` is the source, or the destination for the *_use_dst_for_bwd algorithms.
  void eltwise_backward(dnnl::algorithm alg, float alpha, float beta, int operand, int diff_dst,
                        int diff_src);
  void binary(dnnl::algorithm alg, int src0, int src1, int dst,
              const std::vector<PostOp>& post_ops = {});
  /// y = softmax (or log-softmax) of x over `softmax_axis`.
  void softmax(dnnl::algorithm alg);
  /// dx from y and dy.
  void softmax_backward(dnnl::algorithm alg);

  /// Whether any step reads or writes `operand`.
  [[nodiscard]] bool uses(int operand) const;
  /// Runs every step; `tensors[i]` backs operand i (null or undefined when unused).
  void run(std::array<Tensor*, constants> tensors) const;

 private:
  [[nodiscard]] const dnnl::memory::desc& desc_of(int operand) const;
};

/// Whether an eltwise algorithm's backward reads the destination instead of the source.
[[nodiscard]] bool reads_dst(dnnl::algorithm alg);

struct ActivationSpec;

/// An activation that is one oneDNN eltwise algorithm, as a post-op can apply it: `forward`
/// with alpha and beta, and the algorithm of its backward (the *_use_dst_for_bwd one where
/// oneDNN has it, see reads_dst).
struct EltwiseActivation {
  dnnl::algorithm forward;
  dnnl::algorithm backward;
  float alpha = 0.0f;
  float beta = 0.0f;
};

/// The one eltwise algorithm `spec` is, or none: linear (nothing to apply), softmax,
/// log_softmax, selu, softsign, hard_sigmoid, ReLU with a threshold or with both a slope and
/// a max_value. Defined in activation.cpp, beside the programs it agrees with.
[[nodiscard]] std::optional<EltwiseActivation> activation_as_eltwise(const ActivationSpec& spec);

}  // namespace keras::kernels
