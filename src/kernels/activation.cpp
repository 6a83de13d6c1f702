// SPDX-License-Identifier: Apache-2.0
#include "kernels/activation.h"

#include "keras/shape.h"
#include "kernels/activation_program.h"

#include <fmt/format.h>

#include <functional>
#include <limits>
#include <numeric>
#include <utility>

namespace keras::kernels {
namespace {

using dnnl::algorithm;
using dims = dnnl::memory::dims;

// Keras 3's selu constants (keras/src/activations/activations.py).
constexpr float selu_alpha = 1.67326324235437728481f;
constexpr float selu_scale = 1.05070098735548049342f;
constexpr float lowest = std::numeric_limits<float>::lowest();

using Program = ActivationProgram;
using enum ActivationProgram::Operand;

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

int normalized_axis(int axis, int rank) {
  const int normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank) {
    throw ValueError(
        fmt::format("Softmax axis {} is out of range for a tensor of rank {}", axis, rank));
  }
  return normalized;
}

// f(x) = x > t ? min(x, max_value) : slope * (x - t) for a threshold t > 0, as Keras's
// relu computes it: x * (x > t) clipped, plus slope * min(x - t, 0).
void relu_with_threshold(Program& p, const ActivationSpec& spec) {
  const float slope = spec.negative_slope;
  const float t = spec.threshold;
  std::vector<Program::PostOp> post{{algorithm::binary_mul, x}};
  if (spec.max_value) post.push_back({algorithm::eltwise_clip_v2, -1, 0.0f, *spec.max_value});
  if (slope > 0.0f) {
    p.eltwise(algorithm::eltwise_linear, slope, -slope * t, x, t0);
    p.eltwise(algorithm::eltwise_clip_v2, lowest, 0.0f, t0, t0);
    post.push_back({algorithm::binary_add, t0});
  }
  p.binary(algorithm::binary_gt, x, p.constant(t), y, post);
}

void relu_with_threshold_backward(Program& p, const ActivationSpec& spec) {
  const float slope = spec.negative_slope;
  const float t = spec.threshold;
  std::vector<Program::PostOp> post;
  if (slope > 0.0f) {  // t1 = slope * dy where x <= t
    p.eltwise(algorithm::eltwise_linear, slope, -slope * t, x, t0);
    p.eltwise_backward(algorithm::eltwise_clip_v2, lowest, 0.0f, t0, dy, t1);
    p.eltwise(algorithm::eltwise_linear, slope, 0.0f, t1, t1);
  }
  int passed = dy;  // dy where x <= max_value
  if (spec.max_value) {
    p.eltwise_backward(algorithm::eltwise_clip_v2, lowest, *spec.max_value, x, dy, t0);
    passed = t0;
  }
  post.push_back({algorithm::binary_mul, passed});
  if (slope > 0.0f) post.push_back({algorithm::binary_add, t1});
  p.binary(algorithm::binary_gt, x, p.constant(t), dx, post);
}

void relu_forward(Program& p, const ActivationSpec& spec) {
  const float slope = spec.negative_slope;
  if (spec.threshold != 0.0f) return relu_with_threshold(p, spec);
  if (!spec.max_value) return p.eltwise(algorithm::eltwise_relu, slope, 0.0f, x, y);
  if (slope == 0.0f) return p.eltwise(algorithm::eltwise_clip_v2, 0.0f, *spec.max_value, x, y);
  p.eltwise(algorithm::eltwise_relu, slope, 0.0f, x, y);
  p.eltwise(algorithm::eltwise_clip_v2, lowest, *spec.max_value, y, y);
}

void relu_backward(Program& p, const ActivationSpec& spec) {
  const float slope = spec.negative_slope;
  if (spec.threshold != 0.0f) return relu_with_threshold_backward(p, spec);
  if (!spec.max_value) {
    return p.eltwise_backward(algorithm::eltwise_relu_use_dst_for_bwd, slope, 0.0f, y, dy, dx);
  }
  if (slope == 0.0f) {
    return p.eltwise_backward(algorithm::eltwise_clip_v2, 0.0f, *spec.max_value, x, dy, dx);
  }
  // relu with a slope is increasing, so x < max_value exactly where relu(x) < max_value.
  p.eltwise_backward(algorithm::eltwise_clip_v2, lowest, *spec.max_value, x, dy, t0);
  p.eltwise_backward(algorithm::eltwise_relu, slope, 0.0f, x, t0, dx);
}

// Activations that are one oneDNN eltwise algorithm: forward algorithm, backward algorithm
// (a *_use_dst_for_bwd one reads y), alpha.
struct SingleEltwise {
  algorithm forward;
  algorithm backward;
  float alpha;
};

std::optional<SingleEltwise> single_eltwise(const ActivationSpec& spec) {
  using K = ActivationKind;
  switch (spec.kind) {
    case K::sigmoid:
      return SingleEltwise{algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd,
                           0.0f};
    case K::tanh:
      return SingleEltwise{algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd, 0.0f};
    case K::exponential:
      return SingleEltwise{algorithm::eltwise_exp, algorithm::eltwise_exp_use_dst_for_bwd, 0.0f};
    case K::elu:
      return spec.alpha >= 0.0f
                 ? SingleEltwise{algorithm::eltwise_elu, algorithm::eltwise_elu_use_dst_for_bwd,
                                 spec.alpha}
                 : SingleEltwise{algorithm::eltwise_elu, algorithm::eltwise_elu, spec.alpha};
    case K::softplus:
      return SingleEltwise{algorithm::eltwise_soft_relu, algorithm::eltwise_soft_relu, 0.0f};
    case K::swish:
      return SingleEltwise{algorithm::eltwise_swish, algorithm::eltwise_swish, 1.0f};
    case K::gelu:
      return SingleEltwise{algorithm::eltwise_gelu_erf, algorithm::eltwise_gelu_erf, 0.0f};
    case K::hard_silu:
      return SingleEltwise{algorithm::eltwise_hardswish, algorithm::eltwise_hardswish, 0.0f};
    case K::mish:
      return SingleEltwise{algorithm::eltwise_mish, algorithm::eltwise_mish, 0.0f};
    default:
      return std::nullopt;
  }
}

void build_forward(Program& p, const ActivationSpec& spec) {
  using K = ActivationKind;
  if (const auto single = single_eltwise(spec)) {
    return p.eltwise(single->forward, single->alpha, 0.0f, x, y);
  }
  switch (spec.kind) {
    case K::linear:
      return;
    case K::relu:
    case K::leaky_relu:
    case K::relu6:
      return relu_forward(p, spec);
    case K::softmax:
      return p.softmax(algorithm::softmax_accurate);
    case K::log_softmax:
      return p.softmax(algorithm::softmax_log);
    case K::selu:  // scale * elu(x, alpha)
      p.eltwise(algorithm::eltwise_elu, selu_alpha, 0.0f, x, y);
      return p.eltwise(algorithm::eltwise_linear, selu_scale, 0.0f, y, y);
    case K::softsign:  // x / (1 + |x|)
      p.eltwise(algorithm::eltwise_abs, 0.0f, 0.0f, x, t0);
      p.eltwise(algorithm::eltwise_linear, 1.0f, 1.0f, t0, t0);
      return p.binary(algorithm::binary_div, x, t0, y);
    case K::hard_sigmoid:  // Keras 3: relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1)
      p.eltwise(algorithm::eltwise_linear, 1.0f / 6.0f, 0.5f, x, y);
      return p.eltwise(algorithm::eltwise_clip_v2, 0.0f, 1.0f, y, y);
    default:
      throw NotImplementedError("activation without a forward program");
  }
}

void build_backward(Program& p, const ActivationSpec& spec) {
  using K = ActivationKind;
  if (const auto single = single_eltwise(spec)) {
    return p.eltwise_backward(single->backward, single->alpha, 0.0f,
                              reads_dst(single->backward) ? y : x, dy, dx);
  }
  switch (spec.kind) {
    case K::linear:
      return;
    case K::relu:
    case K::leaky_relu:
    case K::relu6:
      return relu_backward(p, spec);
    case K::softmax:
      return p.softmax_backward(algorithm::softmax_accurate);
    case K::log_softmax:
      return p.softmax_backward(algorithm::softmax_log);
    case K::selu:
      p.eltwise(algorithm::eltwise_linear, selu_scale, 0.0f, dy, t0);
      return p.eltwise_backward(algorithm::eltwise_elu, selu_alpha, 0.0f, x, t0, dx);
    case K::softsign:  // dy / (1 + |x|)^2
      p.eltwise(algorithm::eltwise_abs, 0.0f, 0.0f, x, t0);
      p.eltwise(algorithm::eltwise_linear, 1.0f, 1.0f, t0, t0);
      return p.binary(algorithm::binary_div, dy, t0, dx, {{algorithm::binary_div, t0}});
    case K::hard_sigmoid:  // dy / 6 where -3 < x <= 3
      p.eltwise_backward(algorithm::eltwise_clip_v2, -3.0f, 3.0f, x, dy, t0);
      return p.eltwise(algorithm::eltwise_linear, 1.0f / 6.0f, 0.0f, t0, dx);
    default:
      throw NotImplementedError("activation without a backward program");
  }
}

// ReLU-family specs normalised to one form: relu6 and leaky_relu are relu with parameters.
ActivationSpec relu_form(ActivationSpec spec) {
  if (spec.kind == ActivationKind::relu6) {
    spec.max_value = 6.0f;
    spec.negative_slope = 0.0f;
    spec.threshold = 0.0f;
  }
  if (spec.kind == ActivationKind::leaky_relu) {
    spec.max_value.reset();
    spec.threshold = 0.0f;
  }
  return spec;
}

std::string describe(const ActivationSpec& spec, const std::vector<std::int64_t>& shape) {
  return fmt::format("activation '{}' on shape {}", activation_name(spec),
                     Shape::of(shape).to_string());
}

}  // namespace

std::optional<EltwiseActivation> activation_as_eltwise(const ActivationSpec& spec) {
  using K = ActivationKind;
  if (const auto single = single_eltwise(spec)) {
    return EltwiseActivation{single->forward, single->backward, single->alpha, 0.0f};
  }
  if (spec.kind != K::relu && spec.kind != K::leaky_relu && spec.kind != K::relu6) {
    return std::nullopt;
  }
  const ActivationSpec relu = relu_form(spec);
  const float slope = relu.negative_slope;
  if (relu.threshold != 0.0f) return std::nullopt;
  if (!relu.max_value) {
    return EltwiseActivation{
        algorithm::eltwise_relu,
        slope >= 0.0f ? algorithm::eltwise_relu_use_dst_for_bwd : algorithm::eltwise_relu, slope,
        0.0f};
  }
  if (slope != 0.0f) return std::nullopt;
  // relu6: 0 < y < max_value exactly where 0 < x < max_value (TensorFlow's relu6 gradient).
  return EltwiseActivation{algorithm::eltwise_clip_v2, algorithm::eltwise_clip_v2_use_dst_for_bwd,
                           0.0f, *relu.max_value};
}

bool activation_backward_uses_output(const ActivationSpec& spec) {
  using K = ActivationKind;
  switch (spec.kind) {
    case K::linear:
    case K::sigmoid:
    case K::tanh:
    case K::exponential:
    case K::softmax:
    case K::log_softmax:
    case K::leaky_relu:
      return true;
    case K::elu:
      return spec.alpha >= 0.0f;
    case K::relu:
      return spec.threshold == 0.0f && !spec.max_value;
    default:
      return false;
  }
}

ActivationPlan::ActivationPlan(const ActivationSpec& spec, std::vector<std::int64_t> shape)
    : spec_(spec), shape_(std::move(shape)), forward_(std::make_unique<ActivationProgram>()) {
  const std::int64_t size = element_count(shape_);
  if (size == 0 || spec_.kind == ActivationKind::linear) return;
  try {
    if (spec_.kind == ActivationKind::softmax || spec_.kind == ActivationKind::log_softmax) {
      // (outer, axis, inner): softmax over the middle axis of a plain 3-d layout.
      const int rank = static_cast<int>(shape_.size());
      const int axis = normalized_axis(spec_.axis, rank);
      const auto begin = shape_.begin();
      const std::int64_t outer =
          std::accumulate(begin, begin + axis, std::int64_t{1}, std::multiplies<>());
      const std::int64_t inner =
          std::accumulate(begin + axis + 1, shape_.end(), std::int64_t{1}, std::multiplies<>());
      forward_->data = {dims{outer, shape_[static_cast<std::size_t>(axis)], inner},
                        dnnl::memory::data_type::f32, dnnl::memory::format_tag::abc};
      forward_->scalar = {dims{1, 1, 1}, dnnl::memory::data_type::f32,
                          dnnl::memory::format_tag::abc};
    } else {
      forward_->data = {dims{size}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a};
      forward_->scalar = {dims{1}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a};
    }
    build_forward(*forward_, relu_form(spec_));
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot make the forward of {}: {}", describe(spec_, shape_),
                            error.what()));
  }
}

ActivationPlan::~ActivationPlan() = default;
ActivationPlan::ActivationPlan(ActivationPlan&&) noexcept = default;
ActivationPlan& ActivationPlan::operator=(ActivationPlan&&) noexcept = default;

Tensor ActivationPlan::forward(const Tensor& input) {
  if (input.shape() != shape_) {
    throw ValueError(fmt::format("The plan for {} got an input of shape {}",
                                 describe(spec_, shape_), Shape::of(input.shape()).to_string()));
  }
  if (spec_.kind == ActivationKind::linear) return input;
  Tensor src = input.contiguous();
  Tensor dst = Tensor::empty(shape_);
  if (forward_->steps.empty()) return dst;
  Tensor temp0 = forward_->uses(t0) ? Tensor::empty(shape_) : Tensor();
  try {
    forward_->run({&src, &dst, nullptr, nullptr, &temp0, nullptr});
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot run the forward of {}: {}", describe(spec_, shape_),
                            error.what()));
  }
  return dst;
}

Tensor ActivationPlan::backward(const Tensor& input, const Tensor& output, const Tensor& grad) {
  if (grad.shape() != shape_) {
    throw ValueError(fmt::format("The plan for {} got a gradient of shape {}",
                                 describe(spec_, shape_), Shape::of(grad.shape()).to_string()));
  }
  if (spec_.kind == ActivationKind::linear) return grad;
  const bool uses_output = activation_backward_uses_output(spec_);
  if (!(uses_output ? output : input).defined()) {
    throw ValueError(fmt::format("The backward of {} needs the forward {}", describe(spec_, shape_),
                                 uses_output ? "output" : "input"));
  }
  Tensor diff_src = Tensor::empty(shape_);
  if (element_count(shape_) == 0) return diff_src;
  try {
    if (!backward_) {
      auto program = std::make_unique<ActivationProgram>();
      program->data = forward_->data;
      program->scalar = forward_->scalar;
      build_backward(*program, relu_form(spec_));
      backward_ = std::move(program);
    }
    Tensor src = uses_output ? Tensor() : input.contiguous();
    Tensor dst = uses_output ? output.contiguous() : Tensor();
    Tensor diff_dst = grad.contiguous();
    Tensor temp0 = backward_->uses(t0) ? Tensor::empty(shape_) : Tensor();
    Tensor temp1 = backward_->uses(t1) ? Tensor::empty(shape_) : Tensor();
    backward_->run({&src, &dst, &diff_dst, &diff_src, &temp0, &temp1});
  } catch (const dnnl::error& error) {
    throw Error(fmt::format("oneDNN cannot run the backward of {}: {}", describe(spec_, shape_),
                            error.what()));
  }
  return diff_src;
}

Tensor activation_forward(const ActivationSpec& spec, const Tensor& x) {
  return ActivationPlan(spec, x.shape()).forward(x);
}

Tensor activation_backward(const ActivationSpec& spec, const Tensor& x, const Tensor& y,
                           const Tensor& dy) {
  return ActivationPlan(spec, dy.shape()).backward(x, y, dy);
}

}  // namespace keras::kernels
