// SPDX-License-Identifier: Apache-2.0
#include "kernels/convolution2d.h"

#include "keras/shape.h"
#include "kernels/engine.h"

#include <fmt/format.h>

#include <unordered_map>
#include <vector>

namespace keras::kernels {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using Sizes = std::vector<std::int64_t>;
constexpr auto f32 = memory::data_type::f32;
constexpr auto direct = dnnl::algorithm::convolution_direct;

// oneDNN's logical order is (N, C, H, W) whatever the layout; the tag says how it is stored.
memory::dims logical_dims(const Sizes& shape, DataFormat format) {
  if (format == DataFormat::channels_first) return {shape[0], shape[1], shape[2], shape[3]};
  return {shape[0], shape[3], shape[1], shape[2]};
}

Sizes tensor_shape(const memory::dims& nchw, DataFormat format) {
  if (format == DataFormat::channels_first) return {nchw[0], nchw[1], nchw[2], nchw[3]};
  return {nchw[0], nchw[2], nchw[3], nchw[1]};
}

memory::desc plain_desc(const memory::dims& nchw, DataFormat format) {
  return {nchw, f32, format == DataFormat::channels_first ? tag::nchw : tag::nhwc};
}

// Keras's HWIO kernel (kh, kw, in / groups, filters) is oneDNN's `hwio`; with groups the
// filters axis splits into (groups, filters / groups), group-major, which is `hwigo`.
memory::dims weights_dims(std::int64_t in, const Convolution2DGeometry& g) {
  const auto [kh, kw] = g.kernel;
  if (g.groups == 1) return {g.filters, in, kh, kw};
  return {g.groups, g.filters / g.groups, in / g.groups, kh, kw};
}

memory::dims dims_of(const std::array<std::int64_t, 2>& pair) { return {pair[0], pair[1]}; }

std::int64_t product(const Sizes& shape) {
  std::int64_t size = 1;
  for (const std::int64_t dim : shape) size *= dim;
  return size;
}

memory wrap(const memory::desc& desc, const Tensor& tensor) {
  return {desc, cpu_engine(), const_cast<void*>(tensor.raw_data())};
}

// A reorder between two layouts of the same weights, or none when they are the same layout.
dnnl::reorder make_reorder(const memory::desc& from, const memory::desc& to) {
  if (from == to) return {};
  return dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), from, cpu_engine(), to));
}

}  // namespace

struct Convolution2DPlan::Primitives {
  Sizes src_shape;
  Convolution2DGeometry geometry;
  Sizes dst_shape;
  bool empty = false;  // no element in or out: nothing for oneDNN to do
  memory::desc src_md, dst_md, bias_md, user_weights_md, any_weights_md;
  memory::dims strides, dilates, padding_l, padding_r;
  dnnl::convolution_forward::primitive_desc forward_pd;
  dnnl::convolution_forward forward;
  // Each primitive's own weights layout, with the reorder from (or to) Keras's HWIO when the
  // layouts differ; an empty reorder means the HWIO tensor is used as it is.
  memory forward_weights;
  dnnl::reorder to_forward_weights;
  dnnl::convolution_backward_data backward_data;
  memory backward_data_weights;
  dnnl::reorder to_backward_data_weights;
  dnnl::convolution_backward_weights backward_weights;
  memory diff_weights;
  dnnl::reorder from_diff_weights;

  Primitives(const Sizes& shape, const Convolution2DGeometry& conv)
      : src_shape(shape),
        geometry(conv),
        strides(dims_of(conv.strides)),
        dilates({conv.dilation[0] - 1, conv.dilation[1] - 1}),
        padding_l(dims_of(conv.padding_l)),
        padding_r(dims_of(conv.padding_r)) {
    const memory::dims src_dims = logical_dims(src_shape, geometry.data_format);
    memory::dims dst_dims{src_dims[0], geometry.filters, 0, 0};
    for (std::size_t axis = 0; axis < 2; ++axis) {
      const std::int64_t extent = (geometry.kernel[axis] - 1) * geometry.dilation[axis] + 1;
      dst_dims[axis + 2] =
          (src_dims[axis + 2] + padding_l[axis] + padding_r[axis] - extent) / strides[axis] + 1;
    }
    dst_shape = tensor_shape(dst_dims, geometry.data_format);
    empty = product(src_shape) == 0 || product(dst_shape) == 0;
    if (empty) return;
    src_md = plain_desc(src_dims, geometry.data_format);
    dst_md = plain_desc(dst_dims, geometry.data_format);
    const memory::dims wdims = weights_dims(src_dims[1], geometry);
    user_weights_md = memory::desc(wdims, f32, geometry.groups == 1 ? tag::hwio : tag::hwigo);
    any_weights_md = memory::desc(wdims, f32, tag::any);
    if (geometry.with_bias) bias_md = memory::desc({geometry.filters}, f32, tag::x);
    const auto desc = dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, direct,
                                                      src_md, any_weights_md, bias_md, dst_md,
                                                      strides, dilates, padding_l, padding_r);
    forward_pd = dnnl::convolution_forward::primitive_desc(desc, cpu_engine());
    forward = dnnl::convolution_forward(forward_pd);
    to_forward_weights = make_reorder(user_weights_md, forward_pd.weights_desc());
    if (to_forward_weights) forward_weights = memory(forward_pd.weights_desc(), cpu_engine());
  }

  // The weights for a primitive: the HWIO tensor itself, or `own` after reordering into it.
  memory weights_for(const Tensor& hwio, const dnnl::reorder& to_own, memory& own) const {
    memory user(user_weights_md, cpu_engine(), const_cast<void*>(hwio.raw_data()));
    if (!to_own) return user;
    to_own.execute(cpu_stream(), user, own);
    return own;
  }

  void make_backward_data() {
    const dnnl::convolution_backward_data::desc desc(direct, src_md, any_weights_md, dst_md,
                                                     strides, dilates, padding_l, padding_r);
    const dnnl::convolution_backward_data::primitive_desc pd(desc, cpu_engine(), forward_pd);
    backward_data = dnnl::convolution_backward_data(pd);
    to_backward_data_weights = make_reorder(user_weights_md, pd.weights_desc());
    if (to_backward_data_weights) backward_data_weights = memory(pd.weights_desc(), cpu_engine());
  }

  void make_backward_weights() {
    const auto desc =
        geometry.with_bias
            ? dnnl::convolution_backward_weights::desc(direct, src_md, any_weights_md, bias_md,
                                                       dst_md, strides, dilates, padding_l,
                                                       padding_r)
            : dnnl::convolution_backward_weights::desc(direct, src_md, any_weights_md, dst_md,
                                                       strides, dilates, padding_l, padding_r);
    const dnnl::convolution_backward_weights::primitive_desc pd(desc, cpu_engine(), forward_pd);
    backward_weights = dnnl::convolution_backward_weights(pd);
    from_diff_weights = make_reorder(pd.diff_weights_desc(), user_weights_md);
    if (from_diff_weights) diff_weights = memory(pd.diff_weights_desc(), cpu_engine());
  }
};

Convolution2DPlan::Convolution2DPlan(std::string layer_name) : layer_name_(std::move(layer_name)) {}

Convolution2DPlan::~Convolution2DPlan() = default;

Tensor Convolution2DPlan::forward(const Tensor& src, const Tensor& weights, const Tensor& bias,
                                  const Convolution2DGeometry& geometry) {
  if (src.dtype() != DType::float32) {
    throw TypeError(fmt::format("Layer \"{}\" convolves float32 tensors, got dtype {} (shape {})",
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
    src_ = src.contiguous();
    weights_ = weights.contiguous();
    Tensor dst = Tensor::empty(plan.dst_shape);
    if (plan.empty) return dst;
    const memory weights_memory =
        plan.weights_for(weights_, plan.to_forward_weights, plan.forward_weights);
    std::unordered_map<int, memory> arguments{{DNNL_ARG_SRC, wrap(plan.src_md, src_)},
                                              {DNNL_ARG_WEIGHTS, weights_memory},
                                              {DNNL_ARG_DST, wrap(plan.dst_md, dst)}};
    if (geometry.with_bias) arguments.emplace(DNNL_ARG_BIAS, wrap(plan.bias_md, bias));
    plan.forward.execute(cpu_stream(), arguments);
    cpu_stream().wait();
    return dst;
  } catch (const dnnl::error& error) {
    primitives_.reset();
    throw Error(fmt::format("Layer \"{}\": oneDNN cannot run the convolution on input shape {}: {}",
                            layer_name_, Shape::of(src.shape()).to_string(), error.what()));
  }
}

void Convolution2DPlan::check_diff_dst(const Tensor& diff_dst) const {
  if (!primitives_ || !src_.defined()) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` needs a call first; it returns the gradient of the last call",
        layer_name_));
  }
  if (diff_dst.shape() != primitives_->dst_shape) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(),
        Shape::of(primitives_->dst_shape).to_string()));
  }
}

Tensor Convolution2DPlan::backward_data(const Tensor& diff_dst) {
  check_diff_dst(diff_dst);
  Primitives& plan = *primitives_;
  if (plan.empty) return Tensor::zeros(plan.src_shape);
  Tensor diff_src = Tensor::empty(plan.src_shape);
  try {
    if (!plan.backward_data) plan.make_backward_data();
    const memory weights =
        plan.weights_for(weights_, plan.to_backward_data_weights, plan.backward_data_weights);
    const Tensor packed = diff_dst.contiguous();
    plan.backward_data.execute(cpu_stream(), {{DNNL_ARG_DIFF_DST, wrap(plan.dst_md, packed)},
                                              {DNNL_ARG_WEIGHTS, weights},
                                              {DNNL_ARG_DIFF_SRC, wrap(plan.src_md, diff_src)}});
    cpu_stream().wait();
  } catch (const dnnl::error& error) {
    throw Error(fmt::format(
        "Layer \"{}\": oneDNN cannot run the convolution backward on gradient shape {}: {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(), error.what()));
  }
  return diff_src;
}

void Convolution2DPlan::backward_weights(const Tensor& diff_dst, Tensor& diff_weights,
                                         Tensor& diff_bias) {
  check_diff_dst(diff_dst);
  Primitives& plan = *primitives_;
  if (plan.empty) {
    diff_weights.copy_from(Tensor::zeros(diff_weights.shape()));
    if (plan.geometry.with_bias) diff_bias.copy_from(Tensor::zeros(diff_bias.shape()));
    return;
  }
  try {
    if (!plan.backward_weights) plan.make_backward_weights();
    const Tensor packed = diff_dst.contiguous();
    memory user_diff_weights = wrap(plan.user_weights_md, diff_weights);
    std::unordered_map<int, memory> arguments{
        {DNNL_ARG_SRC, wrap(plan.src_md, src_)},
        {DNNL_ARG_DIFF_DST, wrap(plan.dst_md, packed)},
        {DNNL_ARG_DIFF_WEIGHTS, plan.from_diff_weights ? plan.diff_weights : user_diff_weights}};
    if (plan.geometry.with_bias) {
      arguments.emplace(DNNL_ARG_DIFF_BIAS, wrap(plan.bias_md, diff_bias));
    }
    plan.backward_weights.execute(cpu_stream(), arguments);
    if (plan.from_diff_weights) {
      plan.from_diff_weights.execute(cpu_stream(), plan.diff_weights, user_diff_weights);
    }
    cpu_stream().wait();
  } catch (const dnnl::error& error) {
    throw Error(fmt::format(
        "Layer \"{}\": oneDNN cannot run the convolution weight gradient on gradient shape {}: {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(), error.what()));
  }
}

}  // namespace keras::kernels
