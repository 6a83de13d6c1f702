// SPDX-License-Identifier: Apache-2.0
#include "kernels/binary.h"

#include "kernels/engine.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace keras::kernels {
namespace {

using dnnl::memory;

dnnl::algorithm algorithm_of(BinaryOp op) {
  switch (op) {
    case BinaryOp::add:
      return dnnl::algorithm::binary_add;
    case BinaryOp::subtract:
      return dnnl::algorithm::binary_sub;
    case BinaryOp::multiply:
      return dnnl::algorithm::binary_mul;
    case BinaryOp::divide:
      return dnnl::algorithm::binary_div;
    case BinaryOp::maximum:
      return dnnl::algorithm::binary_max;
    case BinaryOp::minimum:
      return dnnl::algorithm::binary_min;
  }
  throw Error("Unknown binary operation");
}

// Both shapes with src0's size-1 axes dropped and neighbouring axes merged where src1
// broadcasts both or neither, so that (N, H, W, C) by (N, 1, 1, C) reaches oneDNN as
// (N, H*W, C) by (N, 1, C): fewer axes, and more often one of its optimised broadcasts.
struct FoldedShapes {
  memory::dims src0, src1;
};

FoldedShapes fold_axes(const std::vector<std::int64_t>& src0,
                       const std::vector<std::int64_t>& src1) {
  FoldedShapes folded;
  bool previous_broadcast = false;
  for (std::size_t axis = 0; axis < src0.size(); ++axis) {
    if (src0[axis] == 1) continue;
    const bool broadcast = src1[axis] == 1;
    if (!folded.src0.empty() && broadcast == previous_broadcast) {
      folded.src0.back() *= src0[axis];
      folded.src1.back() *= src1[axis];
    } else {
      folded.src0.push_back(src0[axis]);
      folded.src1.push_back(src1[axis]);
    }
    previous_broadcast = broadcast;
  }
  if (folded.src0.empty()) folded = {{1}, {1}};
  return folded;
}

memory::desc row_major(const memory::dims& dims) {
  memory::dims strides(dims.size(), 1);
  for (std::size_t axis = dims.size() - 1; axis > 0; --axis) {
    strides[axis - 1] = strides[axis] * dims[axis];
  }
  return {dims, memory::data_type::f32, strides};
}

bool broadcasts_to(const std::vector<std::int64_t>& src1, const std::vector<std::int64_t>& src0) {
  if (src1.size() != src0.size()) return false;
  for (std::size_t axis = 0; axis < src0.size(); ++axis) {
    if (src1[axis] != src0[axis] && src1[axis] != 1) return false;
  }
  return true;
}

}  // namespace

struct BinaryPlan::Primitive {
  std::vector<std::int64_t> src0_shape, src1_shape;
  bool empty = false;  // no element: nothing to run
  memory::desc src0, src1;
  dnnl::binary binary;
};

BinaryPlan::BinaryPlan(BinaryOp op, std::vector<std::int64_t> src0_shape,
                       std::vector<std::int64_t> src1_shape)
    : primitive_(std::make_unique<Primitive>()) {
  if (!broadcasts_to(src1_shape, src0_shape)) {
    throw ValueError(fmt::format("A binary operation cannot broadcast shape ({}) to ({})",
                                 fmt::join(src1_shape, ", "), fmt::join(src0_shape, ", ")));
  }
  auto& p = *primitive_;
  p.src0_shape = std::move(src0_shape);
  p.src1_shape = std::move(src1_shape);
  for (const std::int64_t size : p.src0_shape) p.empty = p.empty || size == 0;
  if (p.empty) return;
  const FoldedShapes folded = fold_axes(p.src0_shape, p.src1_shape);
  try {
    p.src0 = row_major(folded.src0);
    p.src1 = row_major(folded.src1);
    const dnnl::binary::primitive_desc pd({algorithm_of(op), p.src0, p.src1, p.src0}, cpu_engine());
    p.binary = dnnl::binary(pd);
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot make a binary operation of ({}) by ({}): {}",
                            fmt::join(p.src0_shape, ", "), fmt::join(p.src1_shape, ", "),
                            error.what()));
  }
}

BinaryPlan::~BinaryPlan() = default;
BinaryPlan::BinaryPlan(BinaryPlan&&) noexcept = default;
BinaryPlan& BinaryPlan::operator=(BinaryPlan&&) noexcept = default;

bool BinaryPlan::matches(const std::vector<std::int64_t>& src0_shape,
                         const std::vector<std::int64_t>& src1_shape) const noexcept {
  return primitive_->src0_shape == src0_shape && primitive_->src1_shape == src1_shape;
}

void BinaryPlan::execute(const Tensor& src0, const Tensor& src1, Tensor& dst) const {
  const auto& p = *primitive_;
  if (!matches(src0.shape(), src1.shape()) || dst.shape() != src0.shape() ||
      !src0.is_contiguous() || !src1.is_contiguous() || !dst.is_contiguous() ||
      src0.dtype() != DType::float32 || src1.dtype() != DType::float32 ||
      dst.dtype() != DType::float32) {
    throw ValueError("BinaryPlan::execute needs contiguous float32 operands of the plan's shapes");
  }
  if (p.empty) return;
  auto& engine = cpu_engine();
  try {
    p.binary.execute(cpu_stream(),
                     {{DNNL_ARG_SRC_0, memory(p.src0, engine, const_cast<void*>(src0.raw_data()))},
                      {DNNL_ARG_SRC_1, memory(p.src1, engine, const_cast<void*>(src1.raw_data()))},
                      {DNNL_ARG_DST, memory(p.src0, engine, dst.raw_data())}});
    cpu_stream().wait();
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN failed to run a binary operation of ({}) by ({}): {}",
                            fmt::join(p.src0_shape, ", "), fmt::join(p.src1_shape, ", "),
                            error.what()));
  }
}

}  // namespace keras::kernels
