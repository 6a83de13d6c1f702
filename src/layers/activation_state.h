// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"
#include "kernels/activation.h"

#include <optional>
#include <string>

namespace keras::detail {

/// What the activation layers (Activation, ReLU, LeakyReLU, Softmax) share: the kernel plan
/// for the last input shape, remade when the shape changes, and the tensor of the last call
/// that backward reads (the input or the output, as the activation's backward needs).
class ActivationState {
 public:
  [[nodiscard]] Tensor forward(const kernels::ActivationSpec& spec, const Tensor& inputs);
  /// dL/dinputs of the last forward; throws ValueError naming `layer` when there was none.
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs, const std::string& layer);

 private:
  std::optional<kernels::ActivationPlan> plan_;
  Tensor inputs_;   // kept when the backward reads the input
  Tensor outputs_;  // kept when it reads the output
};

}  // namespace keras::detail
