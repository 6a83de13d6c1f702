// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/conv2d.h"

#include "detail/unbuilt_error.h"
#include "io/initializer_config.h"
#include "io/layer_config.h"
#include "kernels/activation.h"
#include "kernels/convolution2d.h"
#include "kernels/image_layout.h"
#include "layers/activation_state.h"
#include "layers/int_pair_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keras::layers {
namespace {

std::array<int, 2> standardize_kernel_size(const IntPair& kernel_size) {
  if (!kernel_size.has_value()) {
    throw TypeError("Conv2D.__init__() missing 1 required positional argument: 'kernel_size'");
  }
  return standardize_int_pair(kernel_size, "kernel_size");
}

// Keras's argument_validation.standardize_padding (the set printed in its source order).
std::string standardize_padding(const std::string& padding) {
  std::string lowered = padding;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered != "valid" && lowered != "same") {
    throw ValueError(fmt::format(
        "The `padding` argument must be a list/tuple or one of {{'valid', 'same'}}. Received: {}",
        lowered));
  }
  return lowered;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

Conv2D::Conv2D(Conv2DOptions options)
    : Layer("Conv2D",
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.min_ndim = 4}),
      options_(std::move(options)),
      kernel_size_(standardize_kernel_size(options_.kernel_size)),
      strides_(standardize_int_pair(options_.strides, "strides")),
      dilation_rate_(standardize_int_pair(options_.dilation_rate, "dilation_rate")),
      padding_(standardize_padding(options_.padding)),
      data_format_(config::standardize_data_format(options_.data_format)),
      activation_(std::make_unique<kernels::ActivationSpec>(
          kernels::activation_from_name(options_.activation))),
      plan_(std::make_unique<kernels::Convolution2DPlan>(name(), *activation_)),
      activation_state_(std::make_unique<detail::ActivationState>()) {
  // Keras's BaseConv.__init__ checks, in its order.
  if (options_.filters <= 0) {
    throw ValueError(fmt::format(
        "Invalid value for argument `filters`. Expected a strictly positive value. Received "
        "filters={}.",
        options_.filters));
  }
  if (options_.groups <= 0) {
    throw ValueError(fmt::format(
        "The number of groups must be a positive integer. Received: groups={}.", options_.groups));
  }
  if (options_.filters % options_.groups != 0) {
    throw ValueError(fmt::format(
        "The number of filters must be evenly divisible by the number of groups. Received: "
        "groups={}, filters={}.",
        options_.groups, options_.filters));
  }
  if (std::max(strides_[0], strides_[1]) > 1 &&
      std::max(dilation_rate_[0], dilation_rate_[1]) > 1) {
    throw ValueError(fmt::format(
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
        "strides=({}, {}) and dilation_rate=({}, {})",
        strides_[0], strides_[1], dilation_rate_[0], dilation_rate_[1]));
  }
}

Conv2D::~Conv2D() = default;
Conv2D::Conv2D(Conv2D&&) noexcept = default;

std::string Conv2D::activation() const {
  return std::string(kernels::activation_name(*activation_));
}

// Keras's compute_conv_output_shape plus the channel checks of BaseConv.build; Keras's
// messages, with the layer named.
Shape Conv2D::compute_output_shape(const Shape& input_shape) const {
  assert_input_compatibility(input_shape);
  const bool last = data_format_ == DataFormat::channels_last;
  const Dim& channels = input_shape[last ? input_shape.rank() - 1 : 1];
  const auto kernel_shape = [&] {
    return Shape({kernel_size_[0], kernel_size_[1], channels, options_.filters}).to_string();
  };
  if (input_shape.rank() != 4) {
    throw ValueError(fmt::format(
        "Kernel shape must have the same length as input, but received kernel of shape {} and "
        "input of shape {}.",
        kernel_shape(), input_shape.to_string()));
  }
  if (!channels) {
    throw ValueError(fmt::format(
        "Input 0 of layer \"{}\" is incompatible with the layer: the channel axis must be known "
        "to size the kernel. Full shape received: {}",
        name(), input_shape.to_string()));
  }
  if (*channels % options_.groups != 0) {
    throw ValueError(fmt::format(
        "The number of input channels must be evenly divisible by the number of groups in layer "
        "\"{}\". Received groups={}, but the input has {} channels (full input shape is {}).",
        name(), options_.groups, *channels, input_shape.to_string()));
  }
  std::vector<Dim> dims = input_shape.dims();
  bool too_small = false;
  for (std::size_t i = 0; i < 2; ++i) {
    Dim& dim = dims[last ? i + 1 : i + 2];
    if (!dim) continue;
    const std::int64_t extent = std::int64_t{dilation_rate_[i]} * (kernel_size_[i] - 1) + 1;
    dim = padding_ == "same" ? floor_div(*dim - 1, strides_[i]) + 1
                             : floor_div(*dim - extent, strides_[i]) + 1;
    too_small = too_small || *dim <= 0;
  }
  if (too_small) {
    // Keras prints dilation_rate as the NumPy array it has become by then.
    throw ValueError(fmt::format(
        "Computed output size would be zero or negative in layer \"{}\". Received `inputs "
        "shape={}`, `kernel shape={}`, `dilation_rate=[{} {}]`, `strides=({}, {})`, "
        "`padding={}`.",
        name(), input_shape.to_string(), kernel_shape(), dilation_rate_[0], dilation_rate_[1],
        strides_[0], strides_[1], padding_));
  }
  dims[last ? 3 : 1] = options_.filters;
  return Shape(std::move(dims));
}

void Conv2D::build(const Shape& input_shape) {
  (void)compute_output_shape(input_shape);
  const bool last = data_format_ == DataFormat::channels_last;
  const std::int64_t channels = *input_shape[last ? 3 : 1];
  kernel_ = &add_weight("kernel",
                        options_.kernel_initializer({kernel_size_[0], kernel_size_[1],
                                                     channels / options_.groups, options_.filters}),
                        true);
  if (options_.use_bias) {
    bias_ = &add_weight("bias", options_.bias_initializer({options_.filters}), true);
  }
  // As Keras: once built, the channel axis is fixed.
  set_input_spec(InputSpec{.min_ndim = 4, .axes = {{last ? -1 : 1, channels}}});
  Layer::build(input_shape);
}

// TensorFlow's "same" rule with dilation: out = ceil(n / s), total = max((out - 1) * s +
// (k - 1) * d + 1 - n, 0), floor(total / 2) before and the rest after (bottom, right).
Tensor Conv2D::call(const Tensor& inputs, bool training) {
  return call_in_layouts(inputs, training, {});
}

Tensor Conv2D::call_in_layouts(const Tensor& inputs, bool training,
                               const kernels::ImageLayouts& layouts) {
  kernels::Convolution2DGeometry geometry{.data_format = data_format_,
                                          .groups = options_.groups,
                                          .filters = options_.filters,
                                          .with_bias = bias_ != nullptr,
                                          .layouts = layouts};
  const auto image = kernels::nhwc_shape(inputs.shape(), layouts.input);
  const std::size_t first_spatial = data_format_ == DataFormat::channels_last ? 1 : 2;
  for (std::size_t i = 0; i < 2; ++i) {
    geometry.kernel[i] = kernel_size_[i];
    geometry.strides[i] = strides_[i];
    geometry.dilation[i] = dilation_rate_[i];
    if (padding_ != "same") continue;
    const std::int64_t size = image[first_spatial + i];
    const std::int64_t out = (size + strides_[i] - 1) / strides_[i];
    const std::int64_t extent = (geometry.kernel[i] - 1) * geometry.dilation[i] + 1;
    const std::int64_t total = std::max<std::int64_t>((out - 1) * strides_[i] + extent - size, 0);
    geometry.padding_l[i] = total / 2;
    geometry.padding_r[i] = total - total / 2;
  }
  const Tensor outputs =
      plan_->forward(inputs, *kernel_, bias_ ? bias_->value() : Tensor(), geometry, training);
  if (plan_->applies_activation()) return outputs;
  return activation_state_->forward(*activation_, outputs);
}

bool Conv2D::takes_channel_blocks() const {
  return data_format_ == DataFormat::channels_last && options_.groups == 1 &&
         plan_->applies_activation();
}

Tensor Conv2D::backpropagate(const Tensor& grad_outputs, kernels::InputGradient input_gradient,
                             bool relu_done) {
  if (!kernel_) {  // never built, so never called: there is no kernel to take a gradient of
    throw detail::backward_before_call_error(name());
  }
  const Tensor grad = plan_->applies_activation()
                          ? grad_outputs
                          : activation_state_->backward(grad_outputs, name()).contiguous();
  Tensor no_bias;
  return plan_->backward(grad, kernel_->gradient(), bias_ ? bias_->gradient() : no_bias,
                         input_gradient, relu_done && plan_->applies_activation());
}

Tensor Conv2D::backward(const Tensor& grad_outputs) {
  return backpropagate(grad_outputs, kernels::InputGradient::compute);
}

void Conv2D::backward_weights(const Tensor& grad_outputs) {
  (void)backpropagate(grad_outputs, kernels::InputGradient::skip);
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> conv2d_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  layers::Conv2DOptions options{
      .filters = config.get<std::int64_t>("filters", 0),
      .kernel_size = int_pair_from_config(config, "kernel_size", "Conv2D", {}),
      .strides = int_pair_from_config(config, "strides", "Conv2D", 1),
      .padding = config.get<std::string>("padding", "valid"),
      .data_format = config.get<std::string>("data_format", ""),
      .dilation_rate = int_pair_from_config(config, "dilation_rate", "Conv2D", 1),
      .groups = config.get<int>("groups", 1),
      .activation = config.get<std::string>("activation", ""),
      .use_bias = config.get<bool>("use_bias", true),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  };
  read_kernel_and_bias_initializers(config, options);
  read_weight_penalties(config, options);
  return std::make_unique<layers::Conv2D>(std::move(options));
}

Json conv2d_get_config(const layers::Conv2D& layer) {
  const layers::Conv2DOptions& options = layer.options();
  Json config = base_config(layer);
  config["filters"] = options.filters;
  config["kernel_size"] = layer.kernel_size();
  config["strides"] = layer.strides();
  config["padding"] = layer.padding();
  config["data_format"] = name_of(layer.data_format());
  config["dilation_rate"] = layer.dilation_rate();
  config["groups"] = options.groups;
  config["activation"] = layer.activation();
  config["use_bias"] = options.use_bias;
  config["kernel_initializer"] = initializer_config(options.kernel_initializer);
  config["bias_initializer"] = initializer_config(options.bias_initializer);
  write_weight_penalties(config, options, /*with_activity=*/true);
  return config;
}

}  // namespace keras::io
