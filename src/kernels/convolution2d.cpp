// SPDX-License-Identifier: Apache-2.0
#include "kernels/convolution2d.h"

#include "detail/unbuilt_error.h"
#include "keras/shape.h"
#include "kernels/engine.h"
#include "kernels/fused_activation.h"
#include "kernels/image_descs.h"
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

bool is_reference(const dnnl::primitive_desc_base& pd) {
  return std::string_view(pd.impl_info_str()).starts_with("ref");
}

// Keras's HWIO kernel (kh, kw, in / groups, filters) is oneDNN's `hwio`; with groups the
// filters axis splits into (groups, filters / groups), group-major, which is `hwigo`.
memory::dims weights_dims(std::int64_t in, const Convolution2DGeometry& g) {
  const auto [kh, kw] = g.kernel;
  if (g.groups == 1) return {g.filters, in, kh, kw};
  return {g.groups, g.filters / g.groups, in / g.groups, kh, kw};
}

memory::dims dims_of(const std::array<std::int64_t, 2>& pair) { return {pair[0], pair[1]}; }

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

// An activation or its gradient copied from the layout of its tensor into the layout a
// primitive works in, or back.
class LayoutCopy {
 public:
  LayoutCopy(const memory::desc& tensor, const memory::desc& copy)
      : tensor_(tensor),
        copy_(copy),
        storage_(Tensor::empty({static_cast<std::int64_t>(copy.get_size() / sizeof(float))})) {}

  [[nodiscard]] memory copy() const { return wrap(copy_, storage_); }
  // Queues the reorder of `source` (in the tensor's layout) in; returns the copy.
  memory from(memory source) {
    if (!in_)
      in_ =
          dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), tensor_, cpu_engine(), copy_));
    memory target = copy();
    in_.execute(cpu_stream(), source, target);
    return target;
  }
  memory from(const Tensor& tensor) { return from(wrap(tensor_, tensor)); }
  // Queues the reorder of the copy out into `tensor`.
  void into(Tensor& tensor) {
    if (!out_)
      out_ =
          dnnl::reorder(dnnl::reorder::primitive_desc(cpu_engine(), copy_, cpu_engine(), tensor_));
    memory source = copy();
    memory target = wrap(tensor_, tensor);
    out_.execute(cpu_stream(), source, target);
  }

 private:
  memory::desc tensor_, copy_;
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
  // The primitives read and write copies of src, dst and their gradients where the layout
  // they work in is not the tensors' (Winograd's blocks for plain tensors, channel blocks
  // from a plain input; the src and diff_dst copies stay for backward weights); otherwise
  // the tensors themselves.
  dnnl::algorithm algorithm = direct;
  std::optional<LayoutCopy> src_copy, dst_copy, diff_src_copy;
  std::optional<LayoutCopy> plain_diff_dst;  // see make_backward_data
  bool reference_kernels = false;            // whether a primitive made is oneDNN's ref:any
  memory::dims strides, dilates, padding_l, padding_r;
  FusedActivation activation;
  std::array<std::optional<Forward>, 2> forwards;  // [with_post_op]
  std::deque<CachedWeights> weights;               // one per layout the primitives read
  dnnl::convolution_backward_data backward_data;
  memory::desc backward_data_diff_src;
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
    if (empty) return;
    if (config::winograd_convolutions() && winograd_shape(geometry, src_md.dims())) {
      choose_winograd();
    }
    if (algorithm == direct && geometry.layouts != ImageLayouts{}) choose_channel_blocks();
  }

  void copy_where_layouts_differ(const memory::desc& conv_src, const memory::desc& conv_dst) {
    if (conv_src != src_md) {
      src_copy.emplace(src_md, conv_src);
      diff_src_copy.emplace(src_md, conv_src);
    }
    if (conv_dst != dst_md) dst_copy.emplace(dst_md, conv_dst);
  }

  // A direct convolution with channel blocks on either side works in channel blocks on both
  // (oneDNN's AVX-512 kernels have no mixed form), but for one from an image of fewer than 16
  // channels, which reads it as nchw (the same bytes as nhwc for one channel). Where oneDNN
  // has only its reference loops for the forward or the backward weights in that form (an
  // image of 4 to 15 channels, some dilations), it works on NHWC copies instead.
  void choose_channel_blocks() {
    const memory::dims src_dims = src_md.dims();
    const bool few_channels = geometry.layouts.input == ImageLayout::plain && src_dims[1] < 16;
    const memory::desc blocks_src(src_dims, f32, few_channels ? tag::nchw : tag::nChw16c);
    const memory::desc blocks_dst(dst_md.dims(), f32, tag::nChw16c);
    if (!has_fast_kernels(blocks_src, blocks_dst)) {
      copy_where_layouts_differ(plain_desc(src_dims, geometry.data_format),
                                plain_desc(dst_md.dims(), geometry.data_format));
      return;
    }
    if (few_channels && src_dims[1] == 1) src_md = blocks_src;
    copy_where_layouts_differ(blocks_src, blocks_dst);
  }

  [[nodiscard]] bool has_fast_kernels(const memory::desc& src, const memory::desc& dst) const {
    try {
      const dnnl::convolution_forward::primitive_desc pd(
          dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, direct, src,
                                          any_weights_md, bias_md, dst, strides, dilates, padding_l,
                                          padding_r),
          activation.post_ops(), cpu_engine());
      return !is_reference(pd) && !is_reference(backward_weights_pd(direct, src, dst, pd));
    } catch (const dnnl::error&) {
      return false;
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
      copy_where_layouts_differ(blocked_src, blocked_dst);
    } catch (const dnnl::error&) {
      algorithm = direct;  // not for this shape or machine
    }
  }

  // The descriptors the primitives use for src and dst (and their gradients).
  [[nodiscard]] memory::desc conv_src_md() const {
    return src_copy ? src_copy->copy().get_desc() : src_md;
  }
  [[nodiscard]] memory::desc conv_dst_md() const {
    return dst_copy ? dst_copy->copy().get_desc() : dst_md;
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
    const memory::dims src_dims =
        logical_dims(src_shape, geometry.data_format, geometry.layouts.input);
    memory::dims dst_dims{src_dims[0], geometry.filters, 0, 0};
    for (std::size_t axis = 0; axis < 2; ++axis) {
      const std::int64_t extent = (geometry.kernel[axis] - 1) * geometry.dilation[axis] + 1;
      dst_dims[axis + 2] =
          (src_dims[axis + 2] + padding_l[axis] + padding_r[axis] - extent) / strides[axis] + 1;
    }
    dst_shape = tensor_shape(dst_dims, geometry.data_format, geometry.layouts.output);
    empty = Shape::of(src_shape).num_elements() == 0 || Shape::of(dst_shape).num_elements() == 0;
    if (empty) return {};
    src_md = image_desc(src_dims, geometry.data_format, geometry.layouts.input);
    dst_md = image_desc(dst_dims, geometry.data_format, geometry.layouts.output);
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
    reference_kernels = reference_kernels || is_reference(pd);
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
        {DNNL_ARG_DST, dst_copy ? dst_copy->copy() : wrap(dst_md, dst)}};
    if (geometry.with_bias) args.emplace(DNNL_ARG_BIAS, wrap(bias_md, bias));
    f.primitive.execute(cpu_stream(), args);
    if (dst_copy) dst_copy->into(dst);
    cpu_stream().wait();
    return dst;
  }

  // diff_dst as the backward primitives read it: the tensor, or its copy in the layout they
  // work in, which backward weights reads after backward data.
  memory diff_dst_memory(const Tensor& diff_dst) {
    return dst_copy ? dst_copy->from(diff_dst) : wrap(dst_md, diff_dst);
  }

  [[nodiscard]] dnnl::convolution_backward_data::primitive_desc backward_data_pd(
      dnnl::algorithm alg, const memory::desc& diff_src, const memory::desc& diff_dst,
      const dnnl::convolution_forward::primitive_desc& hint) const {
    return {{alg, diff_src, any_weights_md, diff_dst, strides, dilates, padding_l, padding_r},
            cpu_engine(),
            hint};
  }

  // Where oneDNN has only its reference loops for the backward data in the layouts the
  // convolution works in (from channel blocks into an image of fewer than 16 channels), it
  // runs on NHWC: diff_dst reordered into it and diff_src out of it.
  void make_backward_data() {
    auto pd = backward_data_pd(algorithm, conv_src_md(), conv_dst_md(), forward(false).pd);
    const memory::desc plain_src = plain_desc(src_md.dims(), geometry.data_format);
    const memory::desc plain_dst = plain_desc(dst_md.dims(), geometry.data_format);
    if (is_reference(pd) && (conv_src_md() != plain_src || conv_dst_md() != plain_dst)) {
      const dnnl::convolution_forward::primitive_desc hint(
          {dnnl::prop_kind::forward_training, direct, plain_src, any_weights_md, plain_dst, strides,
           dilates, padding_l, padding_r},
          cpu_engine());
      pd = backward_data_pd(direct, plain_src, plain_dst, hint);
      if (conv_dst_md() != plain_dst) plain_diff_dst.emplace(conv_dst_md(), plain_dst);
      diff_src_copy.reset();
      // A plain input's bytes are NHWC's whatever its descriptor (nchw for one channel).
      if (geometry.layouts.input != ImageLayout::plain) diff_src_copy.emplace(src_md, plain_src);
    }
    reference_kernels = reference_kernels || is_reference(pd);
    backward_data = dnnl::convolution_backward_data(pd);
    backward_data_diff_src = pd.diff_src_desc();
    backward_data_weights = &cached_weights(weights, keras_weights_md, pd.weights_desc());
  }

  Tensor run_backward_data(const memory& diff_dst, const Variable& weights_value) {
    if (!backward_data) make_backward_data();
    Tensor diff_src = Tensor::empty(src_shape);
    backward_data.execute(
        cpu_stream(),
        {{DNNL_ARG_DIFF_DST, plain_diff_dst ? plain_diff_dst->from(diff_dst) : diff_dst},
         {DNNL_ARG_WEIGHTS, backward_data_weights->get(weights_value)},
         {DNNL_ARG_DIFF_SRC,
          diff_src_copy ? diff_src_copy->copy() : wrap(backward_data_diff_src, diff_src)}});
    if (diff_src_copy) diff_src_copy->into(diff_src);
    cpu_stream().wait();
    return diff_src;
  }

  // src: the last forward's (its copy in the layout the primitives work in, still there).
  void run_backward_weights(const Tensor& src, const memory& diff_dst, Tensor& diff_weights_hwio,
                            Tensor& diff_bias) {
    if (!backward_weights) {
      const auto pd =
          backward_weights_pd(algorithm, conv_src_md(), conv_dst_md(), forward(false).pd);
      reference_kernels = reference_kernels || is_reference(pd);
      backward_weights = dnnl::convolution_backward_weights(pd);
      diff_weights.emplace(pd.diff_weights_desc(), keras_weights_md);
    }
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, src_copy ? src_copy->copy() : wrap(src_md, src)},
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

bool Convolution2DPlan::runs_reference_kernels() const {
  return primitives_ && primitives_->reference_kernels;
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
