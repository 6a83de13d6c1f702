// SPDX-License-Identifier: Apache-2.0
#include "kernels/convolution2d.h"

#include "detail/unbuilt_error.h"
#include "keras/shape.h"
#include "kernels/engine.h"
#include "kernels/fused_activation.h"
#include "kernels/weights_layout.h"

#include <fmt/format.h>

#include <deque>
#include <unordered_map>
#include <vector>

namespace keras::kernels {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using Sizes = std::vector<std::int64_t>;
constexpr auto f32 = memory::data_type::f32;
constexpr auto direct = dnnl::algorithm::convolution_direct;
constexpr auto winograd = dnnl::algorithm::convolution_winograd;

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

// Whether oneDNN's Winograd kernels (F(4x4, 3x3), about half the multiplications of a direct
// 3x3 convolution) may take this convolution: 3x3, stride 1, no dilation, no groups, and at
// least 16 channels in and out (they work in blocks of 16 channels: an image's 1 or 3 input
// channels would be padded to 16, and the first Conv2D of mnist_convnet took 5 times longer),
// on batches of 8 or more (on one image the reorders to and from the blocked layout cost more
// than they save: 76 against 63 us for mnist_convnet).
bool winograd_shape(const Convolution2DGeometry& g, const memory::dims& src_nchw) {
  return g.groups == 1 && src_nchw[0] >= 8 && src_nchw[1] >= 16 && g.filters >= 16 &&
         g.kernel == std::array<std::int64_t, 2>{3, 3} &&
         g.strides == std::array<std::int64_t, 2>{1, 1} &&
         g.dilation == std::array<std::int64_t, 2>{1, 1};
}

// An activation or its gradient in the blocked layout Winograd primitives read and write,
// reordered from or into the Tensor's plain layout.
class BlockedCopy {
 public:
  BlockedCopy(const memory::desc& plain, const memory::desc& blocked)
      : plain_(plain),
        blocked_(blocked),
        storage_(Tensor::empty({static_cast<std::int64_t>(blocked.get_size() / sizeof(float))})) {}

  [[nodiscard]] memory blocked() const { return wrap(blocked_, storage_); }
  // Reorders `tensor` in; returns the blocked memory.
  memory from(const Tensor& tensor) {
    if (!in_)
      in_ = dnnl::reorder(
          dnnl::reorder::primitive_desc(cpu_engine(), plain_, cpu_engine(), blocked_));
    memory source = wrap(plain_, tensor);
    memory target = blocked();
    in_.execute(cpu_stream(), source, target);
    return target;
  }
  // Queues the reorder of the blocked bytes out into `tensor`.
  void into(Tensor& tensor) {
    if (!out_)
      out_ = dnnl::reorder(
          dnnl::reorder::primitive_desc(cpu_engine(), blocked_, cpu_engine(), plain_));
    memory source = blocked();
    memory target = wrap(plain_, tensor);
    out_.execute(cpu_stream(), source, target);
  }

 private:
  memory::desc plain_, blocked_;
  Tensor storage_;
  dnnl::reorder in_, out_;
};

}  // namespace

struct Convolution2DPlan::Primitives {
  // A forward primitive, with the activation's post-op or without, and its weights.
  struct Forward {
    dnnl::convolution_forward::primitive_desc pd;
    dnnl::convolution_forward primitive;
    CachedWeights* weights;
  };

  Sizes src_shape;
  Convolution2DGeometry geometry;
  Sizes dst_shape;
  bool empty = false;  // no element in or out: nothing for oneDNN to do
  memory::desc src_md, dst_md, bias_md, keras_weights_md, any_weights_md;
  // Winograd: the primitives read and write blocked copies of src, dst and their gradients
  // (the src and diff_dst copies stay for backward weights); direct: the tensors themselves.
  dnnl::algorithm algorithm = direct;
  std::optional<BlockedCopy> src_copy, dst_copy, diff_src_copy;
  memory::dims strides, dilates, padding_l, padding_r;
  FusedActivation activation;
  std::array<std::optional<Forward>, 2> forwards;  // [with_post_op]
  std::deque<CachedWeights> weights;               // one per layout the primitives read
  dnnl::convolution_backward_data backward_data;
  CachedWeights* backward_data_weights = nullptr;
  dnnl::convolution_backward_weights backward_weights;
  std::optional<GradientWeights> diff_weights;

  Primitives(const Sizes& shape, const Convolution2DGeometry& conv, const ActivationSpec& spec)
      : src_shape(shape),
        geometry(conv),
        strides(dims_of(conv.strides)),
        dilates({conv.dilation[0] - 1, conv.dilation[1] - 1}),
        padding_l(dims_of(conv.padding_l)),
        padding_r(dims_of(conv.padding_r)),
        activation(spec, make_descs()) {
    if (!empty && config::winograd_convolutions() && winograd_shape(geometry, src_md.dims())) {
      choose_winograd();
    }
  }

  // Winograd when oneDNN has every primitive a training step needs for it, else direct.
  void choose_winograd() {
    const memory::desc any_src(src_md.dims(), f32, tag::any);
    const memory::desc any_dst(dst_md.dims(), f32, tag::any);
    try {
      const dnnl::convolution_forward::primitive_desc plain_pd(
          dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, winograd, any_src,
                                          any_weights_md, bias_md, any_dst, strides, dilates,
                                          padding_l, padding_r),
          cpu_engine());
      const memory::desc blocked_src = plain_pd.src_desc();
      const memory::desc blocked_dst = plain_pd.dst_desc();
      (void)dnnl::convolution_forward::primitive_desc(
          dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, winograd, blocked_src,
                                          any_weights_md, bias_md, blocked_dst, strides, dilates,
                                          padding_l, padding_r),
          activation.post_ops(), cpu_engine());
      (void)dnnl::convolution_backward_data::primitive_desc(
          dnnl::convolution_backward_data::desc(winograd, blocked_src, any_weights_md, blocked_dst,
                                                strides, dilates, padding_l, padding_r),
          cpu_engine(), plain_pd);
      (void)backward_weights_pd(winograd, blocked_src, blocked_dst, plain_pd);
      algorithm = winograd;
      src_copy.emplace(src_md, blocked_src);
      dst_copy.emplace(dst_md, blocked_dst);
      diff_src_copy.emplace(src_md, blocked_src);
    } catch (const dnnl::error&) {
      algorithm = direct;  // not for this shape or machine
    }
  }

  // The descriptors the primitives use for src and dst (and their gradients).
  [[nodiscard]] memory::desc conv_src_md() const {
    return src_copy ? src_copy->blocked().get_desc() : src_md;
  }
  [[nodiscard]] memory::desc conv_dst_md() const {
    return dst_copy ? dst_copy->blocked().get_desc() : dst_md;
  }

  dnnl::convolution_backward_weights::primitive_desc backward_weights_pd(
      dnnl::algorithm alg, const memory::desc& src, const memory::desc& dst,
      const dnnl::convolution_forward::primitive_desc& hint) const {
    const auto desc =
        geometry.with_bias
            ? dnnl::convolution_backward_weights::desc(alg, src, any_weights_md, bias_md, dst,
                                                       strides, dilates, padding_l, padding_r)
            : dnnl::convolution_backward_weights::desc(alg, src, any_weights_md, dst, strides,
                                                       dilates, padding_l, padding_r);
    return {desc, cpu_engine(), hint};
  }

  // Sizes every descriptor; returns the destination's for the activation. (The members it
  // sets are declared, so initialised, before `activation`.)
  memory::desc make_descs() {
    const memory::dims src_dims = logical_dims(src_shape, geometry.data_format);
    memory::dims dst_dims{src_dims[0], geometry.filters, 0, 0};
    for (std::size_t axis = 0; axis < 2; ++axis) {
      const std::int64_t extent = (geometry.kernel[axis] - 1) * geometry.dilation[axis] + 1;
      dst_dims[axis + 2] =
          (src_dims[axis + 2] + padding_l[axis] + padding_r[axis] - extent) / strides[axis] + 1;
    }
    dst_shape = tensor_shape(dst_dims, geometry.data_format);
    empty = product(src_shape) == 0 || product(dst_shape) == 0;
    if (empty) return {};
    src_md = plain_desc(src_dims, geometry.data_format);
    dst_md = plain_desc(dst_dims, geometry.data_format);
    const memory::dims wdims = weights_dims(src_dims[1], geometry);
    keras_weights_md = memory::desc(wdims, f32, geometry.groups == 1 ? tag::hwio : tag::hwigo);
    any_weights_md = memory::desc(wdims, f32, tag::any);
    if (geometry.with_bias) bias_md = memory::desc({geometry.filters}, f32, tag::x);
    return dst_md;
  }

  Forward& forward(bool with_post_op) {
    auto& slot = forwards[with_post_op ? 1 : 0];
    if (slot) return *slot;
    const auto desc = dnnl::convolution_forward::desc(
        dnnl::prop_kind::forward_training, algorithm, conv_src_md(), any_weights_md, bias_md,
        conv_dst_md(), strides, dilates, padding_l, padding_r);
    const dnnl::primitive_attr attr = with_post_op ? activation.post_ops() : dnnl::primitive_attr();
    const dnnl::convolution_forward::primitive_desc pd(desc, attr, cpu_engine());
    return slot.emplace(Forward{pd, dnnl::convolution_forward(pd),
                                &cached_weights(weights, keras_weights_md, pd.weights_desc())});
  }

  Tensor run_forward(const Tensor& src, const Variable& weights_value, const Tensor& bias,
                     bool with_post_op) {
    Forward& f = forward(with_post_op);
    Tensor dst = Tensor::empty(dst_shape);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src_copy ? src_copy->from(src) : wrap(src_md, src)},
        {DNNL_ARG_WEIGHTS, f.weights->get(weights_value)},
        {DNNL_ARG_DST, dst_copy ? dst_copy->blocked() : wrap(dst_md, dst)}};
    if (geometry.with_bias) args.emplace(DNNL_ARG_BIAS, wrap(bias_md, bias));
    f.primitive.execute(cpu_stream(), args);
    if (dst_copy) dst_copy->into(dst);
    cpu_stream().wait();
    return dst;
  }

  // diff_dst as the backward primitives read it: the tensor, or (Winograd) its blocked copy,
  // which backward weights reads after backward data.
  memory diff_dst_memory(const Tensor& diff_dst) {
    return dst_copy ? dst_copy->from(diff_dst) : wrap(dst_md, diff_dst);
  }

  Tensor run_backward_data(const memory& diff_dst, const Variable& weights_value) {
    if (!backward_data) {
      const dnnl::convolution_backward_data::desc desc(algorithm, conv_src_md(), any_weights_md,
                                                       conv_dst_md(), strides, dilates, padding_l,
                                                       padding_r);
      const dnnl::convolution_backward_data::primitive_desc pd(desc, cpu_engine(),
                                                               forward(false).pd);
      backward_data = dnnl::convolution_backward_data(pd);
      backward_data_weights = &cached_weights(weights, keras_weights_md, pd.weights_desc());
    }
    Tensor diff_src = Tensor::empty(src_shape);
    backward_data.execute(
        cpu_stream(),
        {{DNNL_ARG_DIFF_DST, diff_dst},
         {DNNL_ARG_WEIGHTS, backward_data_weights->get(weights_value)},
         {DNNL_ARG_DIFF_SRC, diff_src_copy ? diff_src_copy->blocked() : wrap(src_md, diff_src)}});
    if (diff_src_copy) diff_src_copy->into(diff_src);
    cpu_stream().wait();
    return diff_src;
  }

  // src: the last forward's (its blocked copy under Winograd, still there).
  void run_backward_weights(const Tensor& src, const memory& diff_dst, Tensor& diff_weights_hwio,
                            Tensor& diff_bias) {
    if (!backward_weights) {
      const auto pd =
          backward_weights_pd(algorithm, conv_src_md(), conv_dst_md(), forward(false).pd);
      backward_weights = dnnl::convolution_backward_weights(pd);
      diff_weights.emplace(pd.diff_weights_desc(), keras_weights_md);
    }
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src_copy ? src_copy->blocked() : wrap(src_md, src)},
        {DNNL_ARG_DIFF_DST, diff_dst},
        {DNNL_ARG_DIFF_WEIGHTS, diff_weights->target(diff_weights_hwio)}};
    if (geometry.with_bias) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(bias_md, diff_bias));
    backward_weights.execute(cpu_stream(), args);
    diff_weights->finish(diff_weights_hwio);
    cpu_stream().wait();
  }
};

Convolution2DPlan::Convolution2DPlan(std::string layer_name, const ActivationSpec& activation)
    : layer_name_(std::move(layer_name)),
      activation_(activation),
      applies_activation_(FusedActivation::applies(activation)) {}

Convolution2DPlan::~Convolution2DPlan() = default;

Tensor Convolution2DPlan::forward(const Tensor& src, const Variable& weights, const Tensor& bias,
                                  const Convolution2DGeometry& geometry, bool training) {
  if (src.dtype() != DType::float32) {
    throw TypeError(fmt::format("Layer \"{}\" convolves float32 tensors, got dtype {} (shape {})",
                                layer_name_, name_of(src.dtype()),
                                Shape::of(src.shape()).to_string()));
  }
  try {
    if (!primitives_ || primitives_->src_shape != src.shape() ||
        primitives_->geometry != geometry) {
      primitives_.reset();
      primitives_ = std::make_unique<Primitives>(src.shape(), geometry, activation_);
    }
    Primitives& plan = *primitives_;
    src_ = src.contiguous();
    weights_.emplace(weights);
    bias_ = bias;
    if (plan.empty) return Tensor::empty(plan.dst_shape);
    const bool fused = plan.activation.fused(training);
    return plan.activation.forward(plan.run_forward(src_, weights, bias, fused), training);
  } catch (const dnnl::error& error) {
    primitives_.reset();
    throw Error(fmt::format("Layer \"{}\": oneDNN cannot run the convolution on input shape {}: {}",
                            layer_name_, Shape::of(src.shape()).to_string(), error.what()));
  }
}

void Convolution2DPlan::check_diff_dst(const Tensor& diff_dst) const {
  if (!primitives_ || !src_.defined()) {
    throw detail::backward_before_call_error(layer_name_);
  }
  if (diff_dst.shape() != primitives_->dst_shape) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(),
        Shape::of(primitives_->dst_shape).to_string()));
  }
}

Tensor Convolution2DPlan::backward(const Tensor& diff_dst, Tensor& diff_weights, Tensor& diff_bias,
                                   InputGradient input_gradient, bool activation_done) {
  check_diff_dst(diff_dst);
  Primitives& plan = *primitives_;
  if (plan.empty) {
    diff_weights.copy_from(Tensor::zeros(diff_weights.shape()));
    if (plan.geometry.with_bias) diff_bias.copy_from(Tensor::zeros(diff_bias.shape()));
    return input_gradient == InputGradient::compute ? Tensor::zeros(plan.src_shape) : Tensor();
  }
  try {
    // After an inference forward, an activation whose backward reads its input has its
    // input recomputed: the convolution again, without the post-op.
    const Tensor diff_linear = activation_done
                                   ? diff_dst.contiguous()
                                   : plan.activation.backward(diff_dst.contiguous(), [&] {
                                       return plan.run_forward(src_, *weights_, bias_, false);
                                     });
    const memory diff_dst_memory = plan.diff_dst_memory(diff_linear);
    Tensor diff_src = input_gradient == InputGradient::compute
                          ? plan.run_backward_data(diff_dst_memory, *weights_)
                          : Tensor();
    plan.run_backward_weights(src_, diff_dst_memory, diff_weights, diff_bias);
    return diff_src;
  } catch (const dnnl::error& error) {
    throw Error(fmt::format(
        "Layer \"{}\": oneDNN cannot run the convolution backward on gradient shape {}: {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(), error.what()));
  }
}

bool Convolution2DPlan::uses_winograd() const {
  return primitives_ && primitives_->algorithm == winograd;
}

bool Convolution2DPlan::reorders_weights() const {
  return primitives_ && !primitives_->empty &&
         (primitives_->forwards[0] ? primitives_->forwards[0] : primitives_->forwards[1])
             ->weights->reorders();
}

std::int64_t Convolution2DPlan::weights_reorder_count() const {
  std::int64_t count = 0;
  if (primitives_) {
    for (const CachedWeights& cache : primitives_->weights) count += cache.reorder_count();
  }
  return count;
}

}  // namespace keras::kernels
