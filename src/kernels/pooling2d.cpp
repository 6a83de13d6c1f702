// SPDX-License-Identifier: Apache-2.0
#include "kernels/pooling2d.h"

#include "detail/unbuilt_error.h"
#include "keras/shape.h"
#include "kernels/engine.h"
#include "kernels/image_descs.h"

#include <fmt/format.h>

#include <unordered_map>
#include <vector>

namespace keras::kernels {
namespace {

using dnnl::memory;
using Sizes = std::vector<std::int64_t>;

dnnl::algorithm dnnl_algorithm(PoolingAlgorithm algorithm) {
  return algorithm == PoolingAlgorithm::max ? dnnl::algorithm::pooling_max
                                            : dnnl::algorithm::pooling_avg_exclude_padding;
}

memory::dims dims_of(const std::array<std::int64_t, 2>& pair) { return {pair[0], pair[1]}; }

}  // namespace

struct Pooling2DPlan::Primitives {
  Sizes src_shape;
  Pooling2DGeometry geometry;
  Sizes dst_shape;
  // No element in and none out: nothing for oneDNN to do. An empty image with a non-empty
  // output (global pooling over 0 rows) goes to oneDNN, which refuses it: a mean of nothing.
  bool empty = false;
  memory::desc src_md;
  memory::desc dst_md;
  dnnl::pooling_forward::primitive_desc forward_pd;
  dnnl::pooling_forward forward;
  memory workspace;                 // what max pooling's backward reads; empty for average
  dnnl::pooling_backward backward;  // created at the first backward
  bool has_forward_run = false;     // the workspace holds a forward's arg-maxes

  Primitives(const Sizes& shape, const Pooling2DGeometry& pooling)
      : src_shape(shape), geometry(pooling) {
    const memory::dims src_dims = logical_dims(src_shape, geometry.data_format, geometry.layout);
    memory::dims dst_dims = src_dims;
    for (std::size_t axis = 0; axis < 2; ++axis) {
      dst_dims[axis + 2] = (src_dims[axis + 2] + geometry.padding_l[axis] +
                            geometry.padding_r[axis] - geometry.kernel[axis]) /
                               geometry.strides[axis] +
                           1;
    }
    dst_shape = geometry.keepdims ? tensor_shape(dst_dims, geometry.data_format, geometry.layout)
                                  : Sizes{dst_dims[0], dst_dims[1]};
    empty = Shape::of(src_shape).num_elements() == 0 && Shape::of(dst_shape).num_elements() == 0;
    if (empty) return;
    src_md = image_desc(src_dims, geometry.data_format, geometry.layout);
    dst_md = image_desc(dst_dims, geometry.data_format, geometry.layout);
    const dnnl::pooling_forward::desc desc(
        dnnl::prop_kind::forward_training, dnnl_algorithm(geometry.algorithm), src_md, dst_md,
        dims_of(geometry.strides), dims_of(geometry.kernel), dims_of(geometry.padding_l),
        dims_of(geometry.padding_r));
    forward_pd = dnnl::pooling_forward::primitive_desc(desc, cpu_engine());
    forward = dnnl::pooling_forward(forward_pd);
    if (geometry.algorithm == PoolingAlgorithm::max) {
      workspace = memory(forward_pd.workspace_desc(), cpu_engine());
    }
  }

  void make_backward() {
    const dnnl::pooling_backward::desc desc(
        dnnl_algorithm(geometry.algorithm), src_md, dst_md, dims_of(geometry.strides),
        dims_of(geometry.kernel), dims_of(geometry.padding_l), dims_of(geometry.padding_r));
    backward = dnnl::pooling_backward(
        dnnl::pooling_backward::primitive_desc(desc, cpu_engine(), forward_pd));
  }
};

Pooling2DPlan::Pooling2DPlan(std::string layer_name) : layer_name_(std::move(layer_name)) {}

Pooling2DPlan::~Pooling2DPlan() = default;

Tensor Pooling2DPlan::forward(const Tensor& src, const Pooling2DGeometry& geometry) {
  if (src.dtype() != DType::float32) {
    throw TypeError(fmt::format("Layer \"{}\" pools float32 tensors, got dtype {} (shape {})",
                                layer_name_, name_of(src.dtype()),
                                Shape::of(src.shape()).to_string()));
  }
  try {
    if (!primitives_ || primitives_->src_shape != src.shape() ||
        primitives_->geometry != geometry) {
      primitives_.reset();
      primitives_ = std::make_unique<Primitives>(src.shape(), geometry);
    }
    Primitives& plan = *primitives_;
    Tensor dst = Tensor::empty(plan.dst_shape);
    plan.has_forward_run = true;
    if (plan.empty) return dst;
    const Tensor packed = src.contiguous();
    memory src_memory(plan.src_md, cpu_engine(), const_cast<void*>(packed.raw_data()));
    memory dst_memory(plan.dst_md, cpu_engine(), dst.raw_data());
    std::unordered_map<int, memory> arguments{{DNNL_ARG_SRC, src_memory},
                                              {DNNL_ARG_DST, dst_memory}};
    if (plan.workspace) arguments.emplace(DNNL_ARG_WORKSPACE, plan.workspace);
    plan.forward.execute(cpu_stream(), arguments);
    cpu_stream().wait();
    return dst;
  } catch (const dnnl::error& error) {
    primitives_.reset();
    throw ValueError(fmt::format("Layer \"{}\": oneDNN cannot run pooling on input shape {}: {}",
                                 layer_name_, Shape::of(src.shape()).to_string(), error.what()));
  }
}

Tensor Pooling2DPlan::backward(const Tensor& diff_dst) {
  if (!primitives_ || !primitives_->has_forward_run) {
    throw detail::backward_before_call_error(layer_name_);
  }
  Primitives& plan = *primitives_;
  if (diff_dst.shape() != plan.dst_shape) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(),
        Shape::of(plan.dst_shape).to_string()));
  }
  Tensor diff_src = Tensor::empty(plan.src_shape);
  if (plan.empty) return diff_src;
  try {
    if (!plan.backward) plan.make_backward();
    const Tensor packed = diff_dst.contiguous();
    memory diff_dst_memory(plan.dst_md, cpu_engine(), const_cast<void*>(packed.raw_data()));
    memory diff_src_memory(plan.src_md, cpu_engine(), diff_src.raw_data());
    std::unordered_map<int, memory> arguments{{DNNL_ARG_DIFF_DST, diff_dst_memory},
                                              {DNNL_ARG_DIFF_SRC, diff_src_memory}};
    if (plan.workspace) arguments.emplace(DNNL_ARG_WORKSPACE, plan.workspace);
    plan.backward.execute(cpu_stream(), arguments);
    cpu_stream().wait();
  } catch (const dnnl::error& error) {
    throw ValueError(
        fmt::format("Layer \"{}\": oneDNN cannot run the pooling backward on gradient shape {}: {}",
                    layer_name_, Shape::of(diff_dst.shape()).to_string(), error.what()));
  }
  return diff_src;
}

}  // namespace keras::kernels
