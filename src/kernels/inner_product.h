// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <memory>

namespace keras::kernels {

/// Dense's product on oneDNN's inner product: `dst = src · weights + bias` for `src`
/// (rows, in) and weights in Keras's layout (in, out). The primitives are made once for a
/// shape and reused; `matches` tells whether this plan fits a new input.
class InnerProductPlan {
 public:
  InnerProductPlan(std::int64_t rows, std::int64_t in, std::int64_t out, bool with_bias);
  ~InnerProductPlan();
  InnerProductPlan(InnerProductPlan&&) noexcept;
  InnerProductPlan& operator=(InnerProductPlan&&) noexcept;

  [[nodiscard]] bool matches(std::int64_t rows) const noexcept;

  /// dst (rows, out) = src · weights + bias; `bias` is ignored without a bias.
  void forward(const Tensor& src, const Tensor& weights, const Tensor& bias, Tensor& dst);
  /// diff_src (rows, in) = diff_dst · weightsᵀ.
  void backward_data(const Tensor& diff_dst, const Tensor& weights, Tensor& diff_src);
  /// diff_weights (in, out) = srcᵀ · diff_dst and diff_bias (out) = Σ diff_dst, overwritten.
  void backward_weights(const Tensor& src, const Tensor& diff_dst, Tensor& diff_weights,
                        Tensor& diff_bias);

 private:
  struct Primitives;
  std::unique_ptr<Primitives> primitives_;
};

}  // namespace keras::kernels
