// SPDX-License-Identifier: Apache-2.0
#include "layers/activation_state.h"

#include "detail/unbuilt_error.h"
#include "keras/shape.h"

#include <fmt/format.h>

namespace keras::detail {

Tensor ActivationState::forward(const kernels::ActivationSpec& spec, const Tensor& inputs) {
  if (!plan_ || plan_->shape() != inputs.shape() || !(plan_->spec() == spec)) {
    plan_.emplace(spec, inputs.shape());
  }
  Tensor outputs = plan_->forward(inputs);
  const bool keeps_output = kernels::activation_backward_uses_output(plan_->spec());
  inputs_ = keeps_output ? Tensor() : inputs;
  outputs_ = keeps_output ? outputs : Tensor();
  return outputs;
}

Tensor ActivationState::backward(const Tensor& grad_outputs, const std::string& layer) {
  if (!plan_) {
    throw detail::backward_before_call_error(layer);
  }
  if (grad_outputs.shape() != plan_->shape()) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        layer, Shape::of(grad_outputs.shape()).to_string(), Shape::of(plan_->shape()).to_string()));
  }
  return plan_->backward(inputs_, outputs_, grad_outputs);
}

}  // namespace keras::detail
