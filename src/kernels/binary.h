// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace keras::kernels {

/// The elementwise operations of oneDNN's binary primitive, named as Keras's ops.
enum class BinaryOp { add, subtract, multiply, divide, maximum, minimum };

/// `dst = src0 op src1` on oneDNN's binary primitive, with `src1` broadcast: it has
/// `src0`'s rank and each of its axes is `src0`'s size or 1 (a dropout mask of the noise
/// shape, a per-channel scale). The primitive is made once for a pair of shapes and reused;
/// `matches` tells whether this plan fits new operands. Every tensor must be contiguous
/// float32; `dst` has `src0`'s shape and may be `src0` itself.
class BinaryPlan {
 public:
  BinaryPlan(BinaryOp op, std::vector<std::int64_t> src0_shape,
             std::vector<std::int64_t> src1_shape);
  ~BinaryPlan();
  BinaryPlan(BinaryPlan&&) noexcept;
  BinaryPlan& operator=(BinaryPlan&&) noexcept;

  [[nodiscard]] bool matches(const std::vector<std::int64_t>& src0_shape,
                             const std::vector<std::int64_t>& src1_shape) const noexcept;

  void execute(const Tensor& src0, const Tensor& src1, Tensor& dst) const;

 private:
  struct Primitive;
  std::unique_ptr<Primitive> primitive_;
};

}  // namespace keras::kernels
