// SPDX-License-Identifier: Apache-2.0
#include "kernels/batch_normalization.h"

#include "detail/unbuilt_error.h"
#include "keras/shape.h"
#include "kernels/engine.h"

#include <fmt/format.h>

#include <unordered_map>
#include <vector>

namespace keras::kernels {
namespace {

using dnnl::memory;
using dnnl::normalization_flags;
using tag = memory::format_tag;
using Sizes = std::vector<std::int64_t>;
constexpr auto f32 = memory::data_type::f32;

// oneDNN normalises over axis 1 of its logical dims and reduces over all the others, whatever
// the layout. Images keep their own 4-d description (nhwc for channels_last, nchw for axis 1);
// any other row-major tensor is (outer, C, inner), which is the same memory as it stands.
memory::desc data_desc(const Sizes& shape, int axis) {
  const int rank = static_cast<int>(shape.size());
  if (rank == 4 && axis == 3) return {{shape[0], shape[3], shape[1], shape[2]}, f32, tag::nhwc};
  if (rank == 4 && axis == 1) return {{shape[0], shape[1], shape[2], shape[3]}, f32, tag::nchw};
  std::int64_t outer = 1;
  std::int64_t inner = 1;
  for (int i = 0; i < axis; ++i) outer *= shape[static_cast<std::size_t>(i)];
  for (int i = axis + 1; i < rank; ++i) inner *= shape[static_cast<std::size_t>(i)];
  const std::int64_t channels = shape[static_cast<std::size_t>(axis)];
  if (inner == 1) return {{outer, channels}, f32, tag::nc};
  return {{outer, channels, inner}, f32, tag::ncw};
}

}  // namespace

struct BatchNormalizationPlan::Primitives {
  Sizes shape;
  int axis;
  bool training;
  bool empty;  // no element: nothing for oneDNN to do
  normalization_flags flags = normalization_flags::none;
  memory::desc data_md;
  memory::desc channel_md;  // (C): scale, shift, mean, variance
  dnnl::batch_normalization_forward::primitive_desc forward_pd;
  dnnl::batch_normalization_forward forward;
  dnnl::batch_normalization_backward backward;  // made at the first backward
  dnnl::sum moving_average;                     // made at the first update (training only)
  double momentum = 0.0;                        // the one moving_average was made for

  Primitives(const Sizes& src_shape, int channel_axis, bool training_mode, float epsilon,
             bool use_scale, bool use_shift)
      : shape(src_shape),
        axis(channel_axis),
        training(training_mode),
        empty(Shape::of(src_shape).num_elements() == 0),
        channel_md({src_shape[static_cast<std::size_t>(channel_axis)]}, f32, tag::x) {
    if (empty) return;
    if (use_scale) flags |= normalization_flags::use_scale;
    if (use_shift) flags |= normalization_flags::use_shift;
    if (!training) flags |= normalization_flags::use_global_stats;
    data_md = data_desc(shape, axis);
    // Always forward_training: it is a valid hint for the backward of either mode, and
    // without fuse_norm_relu it needs no workspace, so inference costs nothing more.
    forward_pd = dnnl::batch_normalization_forward::primitive_desc(
        {dnnl::prop_kind::forward_training, data_md, epsilon, flags}, cpu_engine());
    forward = dnnl::batch_normalization_forward(forward_pd);
  }

  void make_backward(float epsilon) {
    const bool has_parameters =
        (flags & (normalization_flags::use_scale | normalization_flags::use_shift)) !=
        normalization_flags::none;
    const auto kind = has_parameters ? dnnl::prop_kind::backward : dnnl::prop_kind::backward_data;
    backward =
        dnnl::batch_normalization_backward(dnnl::batch_normalization_backward::primitive_desc(
            {kind, data_md, data_md, epsilon, flags}, cpu_engine(), forward_pd));
  }

  void make_moving_average(double new_momentum) {
    momentum = new_momentum;
    const std::vector<float> scales{static_cast<float>(momentum),
                                    static_cast<float>(1.0 - momentum)};
    moving_average = dnnl::sum(
        dnnl::sum::primitive_desc(channel_md, scales, {channel_md, channel_md}, cpu_engine()));
  }
};

BatchNormalizationPlan::BatchNormalizationPlan(std::string layer_name, double epsilon,
                                               bool use_scale, bool use_shift)
    : layer_name_(std::move(layer_name)),
      epsilon_(static_cast<float>(epsilon)),
      use_scale_(use_scale),
      use_shift_(use_shift) {}

BatchNormalizationPlan::~BatchNormalizationPlan() = default;

BatchNormalizationPlan::Primitives& BatchNormalizationPlan::primitives_for(const Tensor& src,
                                                                           int axis,
                                                                           bool training) {
  auto& primitives = primitives_[training ? 1 : 0];
  if (!primitives || primitives->shape != src.shape() || primitives->axis != axis) {
    primitives.reset();
    primitives =
        std::make_unique<Primitives>(src.shape(), axis, training, epsilon_, use_scale_, use_shift_);
  }
  return *primitives;
}

Tensor BatchNormalizationPlan::forward(const Tensor& src, int axis, bool training,
                                       const Tensor& scale, const Tensor& shift) {
  last_ = nullptr;
  if (src.dtype() != DType::float32) {
    throw TypeError(fmt::format("Layer \"{}\" normalizes float32 tensors, got dtype {} (shape {})",
                                layer_name_, name_of(src.dtype()),
                                Shape::of(src.shape()).to_string()));
  }
  try {
    Primitives& plan = primitives_for(src, axis, training);
    last_src_ = src.contiguous();
    Tensor dst = Tensor::empty(src.shape());
    if (!plan.empty) {
      std::unordered_map<int, memory> arguments{
          {DNNL_ARG_SRC, wrap(plan.data_md, last_src_)},
          {DNNL_ARG_DST, wrap(plan.data_md, dst)},
          {DNNL_ARG_MEAN, wrap(plan.channel_md, last_mean_)},
          {DNNL_ARG_VARIANCE, wrap(plan.channel_md, last_variance_)}};
      if (use_scale_) arguments.emplace(DNNL_ARG_SCALE, wrap(plan.channel_md, scale));
      if (use_shift_) arguments.emplace(DNNL_ARG_SHIFT, wrap(plan.channel_md, shift));
      plan.forward.execute(cpu_stream(), arguments);
      cpu_stream().wait();
    }
    last_ = &plan;
    return dst;
  } catch (const dnnl::error& error) {
    primitives_[training ? 1 : 0].reset();
    throw ValueError(
        fmt::format("Layer \"{}\": oneDNN cannot run batch normalization on input shape {}: {}",
                    layer_name_, Shape::of(src.shape()).to_string(), error.what()));
  }
}

Tensor BatchNormalizationPlan::forward_training(const Tensor& src, int axis, const Tensor& scale,
                                                const Tensor& shift) {
  // Fresh outputs each call: a backward of this call must not see a later call's statistics.
  last_mean_ = Tensor::empty({src.dim(axis)});
  last_variance_ = Tensor::empty({src.dim(axis)});
  return forward(src, axis, /*training=*/true, scale, shift);
}

Tensor BatchNormalizationPlan::forward_inference(const Tensor& src, int axis, const Tensor& scale,
                                                 const Tensor& shift, const Tensor& mean,
                                                 const Tensor& variance) {
  // Copies: a backward of this call uses these statistics even if the weights change after.
  last_mean_ = mean.clone();
  last_variance_ = variance.clone();
  return forward(src, axis, /*training=*/false, scale, shift);
}

void BatchNormalizationPlan::update_moving_statistics(Tensor& moving_mean, Tensor& moving_variance,
                                                      double momentum) {
  if (last_ == nullptr || !last_->training || last_->empty) return;
  Primitives& plan = *last_;
  if (!plan.moving_average || plan.momentum != momentum) plan.make_moving_average(momentum);
  // oneDNN 2.6 does not promise an in-place sum, so each average goes through a fresh dst.
  const auto average = [&](Tensor& moving, const Tensor& batch) {
    Tensor updated = Tensor::empty(moving.shape());
    plan.moving_average.execute(cpu_stream(),
                                {{DNNL_ARG_MULTIPLE_SRC, wrap(plan.channel_md, moving)},
                                 {DNNL_ARG_MULTIPLE_SRC + 1, wrap(plan.channel_md, batch)},
                                 {DNNL_ARG_DST, wrap(plan.channel_md, updated)}});
    cpu_stream().wait();
    moving.copy_from(updated);
  };
  average(moving_mean, last_mean_);
  average(moving_variance, last_variance_);
}

Tensor BatchNormalizationPlan::backward(const Tensor& diff_dst, const Tensor& scale,
                                        const Tensor& shift, Tensor& diff_scale,
                                        Tensor& diff_shift) {
  if (last_ == nullptr) {
    throw detail::backward_before_call_error(layer_name_);
  }
  Primitives& plan = *last_;
  if (diff_dst.shape() != plan.shape) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(), Shape::of(plan.shape).to_string()));
  }
  Tensor diff_src = Tensor::empty(plan.shape);
  if (plan.empty) {
    if (use_scale_) diff_scale.copy_from(Tensor::zeros(diff_scale.shape()));
    if (use_shift_) diff_shift.copy_from(Tensor::zeros(diff_shift.shape()));
    return diff_src;
  }
  try {
    if (!plan.backward) plan.make_backward(epsilon_);
    const Tensor packed = diff_dst.contiguous();
    std::unordered_map<int, memory> arguments{
        {DNNL_ARG_SRC, wrap(plan.data_md, last_src_)},
        {DNNL_ARG_MEAN, wrap(plan.channel_md, last_mean_)},
        {DNNL_ARG_VARIANCE, wrap(plan.channel_md, last_variance_)},
        {DNNL_ARG_DIFF_DST, wrap(plan.data_md, packed)},
        {DNNL_ARG_DIFF_SRC, wrap(plan.data_md, diff_src)}};
    if (use_scale_) {
      arguments.emplace(DNNL_ARG_SCALE, wrap(plan.channel_md, scale));
      arguments.emplace(DNNL_ARG_DIFF_SCALE, wrap(plan.channel_md, diff_scale));
    }
    if (use_shift_) {
      // oneDNN 2.6 will not execute a backward with use_shift without the shift, though the
      // gradients do not depend on it.
      arguments.emplace(DNNL_ARG_SHIFT, wrap(plan.channel_md, shift));
      arguments.emplace(DNNL_ARG_DIFF_SHIFT, wrap(plan.channel_md, diff_shift));
    }
    plan.backward.execute(cpu_stream(), arguments);
    cpu_stream().wait();
    return diff_src;
  } catch (const dnnl::error& error) {
    throw ValueError(fmt::format(
        "Layer \"{}\": oneDNN cannot run the batch normalization backward on gradient shape {}: "
        "{}",
        layer_name_, Shape::of(diff_dst.shape()).to_string(), error.what()));
  }
}

}  // namespace keras::kernels
