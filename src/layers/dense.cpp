// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/dense.h"

#include "detail/unbuilt_error.h"
#include "io/initializer_config.h"
#include "io/layer_config.h"
#include "keras/shape.h"
#include "kernels/activation.h"
#include "kernels/inner_product.h"
#include "layers/activation_state.h"

#include <fmt/format.h>

namespace keras::layers {
namespace {

std::int64_t leading_rows(const std::vector<std::int64_t>& shape) {
  std::int64_t rows = 1;
  for (std::size_t axis = 0; axis + 1 < shape.size(); ++axis) rows *= shape[axis];
  return rows;
}

}  // namespace

Dense::Dense(DenseOptions options)
    : Layer("Dense",
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.min_ndim = 2}),
      options_(std::move(options)),
      activation_(std::make_unique<kernels::ActivationSpec>(
          kernels::activation_from_name(options_.activation))),
      activation_state_(std::make_unique<detail::ActivationState>()) {
  if (options_.units <= 0) {
    throw ValueError(fmt::format(
        "Received an invalid value for `units`, expected a positive integer. Received: units={}",
        options_.units));
  }
}

Dense::~Dense() = default;
Dense::Dense(Dense&&) noexcept = default;

Shape Dense::compute_output_shape(const Shape& input_shape) const {
  if (!input_shape[input_shape.rank() - 1]) {
    throw ValueError(fmt::format(
        "Input 0 of layer \"{}\" is incompatible with the layer: the last axis must be known to "
        "size the kernel. Full shape received: {}",
        name(), input_shape.to_string()));
  }
  std::vector<Dim> dims(input_shape.begin(), input_shape.end());
  dims.back() = options_.units;
  return Shape(std::move(dims));
}

void Dense::build(const Shape& input_shape) {
  const std::int64_t in = *input_shape[input_shape.rank() - 1];
  kernel_ = &add_weight("kernel", options_.kernel_initializer({in, options_.units}), true);
  if (options_.use_bias) {
    bias_ = &add_weight("bias", options_.bias_initializer({options_.units}), true);
  }
  // As Keras: once built, the last axis is fixed.
  set_input_spec(InputSpec{.min_ndim = 2, .axes = {{-1, in}}});
  Layer::build(input_shape);
}

kernels::InnerProductPlan& Dense::plan_for(std::int64_t rows) {
  if (!plan_ || !plan_->matches(rows)) {
    plan_ = std::make_unique<kernels::InnerProductPlan>(
        rows, kernel_->value().dim(0), options_.units, bias_ != nullptr, *activation_);
  }
  return *plan_;
}

Tensor Dense::call(const Tensor& inputs, bool training) {
  last_input_shape_ = inputs.shape();
  const std::int64_t rows = leading_rows(last_input_shape_);
  auto& plan = plan_for(rows);
  Tensor outputs = plan.forward(inputs.reshape({rows, inputs.dim(-1)}), *kernel_,
                                bias_ ? bias_->value() : Tensor(), training);
  if (!plan.applies_activation()) outputs = activation_state_->forward(*activation_, outputs);
  std::vector<std::int64_t> output_shape = last_input_shape_;
  output_shape.back() = options_.units;
  return outputs.reshape(std::move(output_shape));
}

Tensor Dense::backward(const Tensor& grad_outputs) {
  return backpropagate(grad_outputs, kernels::InputGradient::compute);
}

void Dense::backward_weights(const Tensor& grad_outputs) {
  (void)backpropagate(grad_outputs, kernels::InputGradient::skip);
}

Tensor Dense::backpropagate(const Tensor& grad_outputs, kernels::InputGradient input_gradient) {
  if (!plan_) {
    throw detail::backward_before_call_error(name());
  }
  std::vector<std::int64_t> output_shape = last_input_shape_;
  output_shape.back() = options_.units;
  if (grad_outputs.shape() != output_shape) {
    throw ValueError(fmt::format(
        "Layer \"{}\": `backward` received gradients of shape {}, but the last call returned "
        "shape {}",
        name(), Shape::of(grad_outputs.shape()).to_string(), Shape::of(output_shape).to_string()));
  }
  Tensor grad = grad_outputs.reshape({leading_rows(output_shape), options_.units});
  if (!plan_->applies_activation()) grad = activation_state_->backward(grad, name());
  Tensor no_bias;
  const Tensor grad_inputs = plan_->backward(grad, kernel_->gradient(),
                                             bias_ ? bias_->gradient() : no_bias, input_gradient);
  if (input_gradient == kernels::InputGradient::skip) return grad_inputs;
  return grad_inputs.reshape(last_input_shape_);
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> dense_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  layers::DenseOptions options{
      .units = config.get<std::int64_t>("units", 0),
      .activation = config.get<std::string>("activation", ""),
      .use_bias = config.get<bool>("use_bias", true),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  };
  read_kernel_and_bias_initializers(config, options);
  read_weight_penalties(config, options);
  return std::make_unique<layers::Dense>(std::move(options));
}

Json dense_get_config(const layers::Dense& layer) {
  const layers::DenseOptions& options = layer.options();
  Json config = base_config(layer);
  config["units"] = options.units;
  config["activation"] =
      kernels::activation_name(kernels::activation_from_name(options.activation));
  config["use_bias"] = options.use_bias;
  config["kernel_initializer"] = initializer_config(options.kernel_initializer);
  config["bias_initializer"] = initializer_config(options.bias_initializer);
  write_weight_penalties(config, options, /*with_activity=*/false);
  return config;
}

}  // namespace keras::io
