// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace keras::kernels {

/// Every Keras 3 activation kerascpp computes (keras-spec.md 3.6). Enumerators are spelled
/// as Keras's canonical names, except `swish` (Keras serialises it as "silu").
enum class ActivationKind {
  linear,
  relu,
  sigmoid,
  tanh,
  softmax,
  log_softmax,
  elu,
  selu,
  softplus,
  softsign,
  swish,
  gelu,
  exponential,
  hard_sigmoid,
  hard_silu,
  leaky_relu,
  relu6,
  mish,
};

/// An activation and its parameters; the defaults are those of Keras's function forms.
struct ActivationSpec {
  ActivationKind kind = ActivationKind::linear;
  float negative_slope = 0.0f;     // relu, leaky_relu
  std::optional<float> max_value;  // relu; none: unbounded
  float threshold = 0.0f;          // relu: values at or below it take the negative slope
  float alpha = 1.0f;              // elu
  int axis = -1;                   // softmax, log_softmax; negative from the end

  friend bool operator==(const ActivationSpec&, const ActivationSpec&) = default;
};

/// The spec for a Keras activation identifier (`"relu"`, `"swish"`, ...; empty: linear);
/// throws ValueError "Could not interpret activation function identifier: {name}".
[[nodiscard]] ActivationSpec activation_from_name(std::string_view name);
/// The name Keras serialises the activation as ("silu" for swish, "hard_silu" for
/// hard_swish); parameters other than the defaults are not part of the name.
[[nodiscard]] std::string_view activation_name(const ActivationSpec& spec);

/// Whether `backward` reads the forward output `y` (true) or the input `x` (false); the
/// other one may be passed as an undefined Tensor. A fused caller keeps only what this asks
/// for. Output: linear, relu and leaky_relu without threshold or max_value, sigmoid, tanh,
/// exponential, elu, softmax, log_softmax (oneDNN's *_use_dst_for_bwd and softmax backward).
/// Input: everything else.
[[nodiscard]] bool activation_backward_uses_output(const ActivationSpec& spec);

struct ActivationProgram;  // a list of oneDNN primitives, private to activation.cpp

/// The oneDNN primitives of one activation for one input shape, made once and reused
/// (eltwise, binary and softmax primitives; compositions for softsign, selu, hard_sigmoid
/// and ReLU with threshold or max_value). The backward primitives are made on first use.
class ActivationPlan {
 public:
  ActivationPlan(const ActivationSpec& spec, std::vector<std::int64_t> shape);
  ~ActivationPlan();
  ActivationPlan(ActivationPlan&&) noexcept;
  ActivationPlan& operator=(ActivationPlan&&) noexcept;

  [[nodiscard]] const ActivationSpec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::vector<std::int64_t>& shape() const noexcept { return shape_; }

  /// y = activation(x), a new tensor (linear returns `x` itself).
  [[nodiscard]] Tensor forward(const Tensor& x);
  /// dL/dx from dL/dy; reads `y` or `x` as activation_backward_uses_output says.
  [[nodiscard]] Tensor backward(const Tensor& x, const Tensor& y, const Tensor& dy);

 private:
  ActivationSpec spec_;
  std::vector<std::int64_t> shape_;
  std::unique_ptr<ActivationProgram> forward_;
  std::unique_ptr<ActivationProgram> backward_;  // made by the first backward call
};

/// One-off forms that make a plan per call (oneDNN's primitive cache keeps the primitives;
/// the descriptors are made again). Layers own an ActivationPlan instead.
[[nodiscard]] Tensor activation_forward(const ActivationSpec& spec, const Tensor& x);
[[nodiscard]] Tensor activation_backward(const ActivationSpec& spec, const Tensor& x,
                                         const Tensor& y, const Tensor& dy);

}  // namespace keras::kernels
