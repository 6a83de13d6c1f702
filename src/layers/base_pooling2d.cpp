// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/base_pooling2d.h"

#include "io/pooling2d_config.h"
#include "kernels/activation.h"
#include "kernels/image_layout.h"
#include "kernels/pooling2d.h"
#include "layers/int_pair_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keras::layers {
namespace {

// Keras compares `padding` with "valid" and "same" after lower-casing it (ops.max_pool).
std::string standardize_padding(std::string padding) {
  std::string lowered = padding;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered != "valid" && lowered != "same") {
    throw ValueError(fmt::format(
        "Argument `padding` must be either 'valid' or 'same'. Received: padding={}", padding));
  }
  return lowered;
}

// The axes of rows and columns in a rank-4 shape.
std::array<int, 2> spatial_axes(DataFormat format) {
  return format == DataFormat::channels_last ? std::array{1, 2} : std::array{2, 3};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

BasePooling2D::BasePooling2D(std::string_view class_name, Pooling2DOptions options,
                             PoolMode pool_mode)
    : Layer(class_name,
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.ndim = 4}),
      pool_mode_(pool_mode),
      pool_size_(standardize_int_pair(options.pool_size, "pool_size")),
      strides_(options.strides.has_value() ? standardize_int_pair(options.strides, "strides")
                                           : pool_size_),
      padding_(standardize_padding(std::move(options.padding))),
      data_format_(config::standardize_data_format(options.data_format)),
      plan_(std::make_unique<kernels::Pooling2DPlan>(name())) {}

BasePooling2D::~BasePooling2D() = default;
BasePooling2D::BasePooling2D(BasePooling2D&& other) = default;

// Keras's compute_pooling_output_shape: valid floor((n - p) / s) + 1, same ceil(n / s);
// unknown axes stay unknown. Keras only rejects negative sizes; an empty output is an
// error here too, as TensorFlow reports it when the layer runs.
Shape BasePooling2D::compute_output_shape(const Shape& input_shape) const {
  assert_input_compatibility(input_shape);
  std::vector<Dim> dims = input_shape.dims();
  bool too_small = false;
  const auto axes = spatial_axes(data_format_);
  for (std::size_t i = 0; i < 2; ++i) {
    Dim& dim = dims[static_cast<std::size_t>(axes[i])];
    if (!dim) continue;
    const std::int64_t size = *dim;
    const std::int64_t stride = strides_[i];
    if (padding_ == "same") {
      dim = floor_div(size - 1, stride) + 1;
    } else {
      dim = floor_div(size - pool_size_[i], stride) + 1;
      too_small = too_small || *dim <= 0;
    }
  }
  if (too_small) {
    throw ValueError(fmt::format(
        "Computed output size would be zero or negative in layer \"{}\": inputs.shape={}, "
        "pool_size=({}, {}), strides=({}, {}), padding={} give output shape {}",
        name(), input_shape.to_string(), pool_size_[0], pool_size_[1], strides_[0], strides_[1],
        padding_, Shape(dims).to_string()));
  }
  return Shape(std::move(dims));
}

// TensorFlow's "same" rule: out = ceil(n / s), total = max((out - 1) * s + p - n, 0),
// floor(total / 2) before and the rest after (bottom, right).
Tensor BasePooling2D::call(const Tensor& inputs, bool training) {
  return call_in_layout(inputs, training, kernels::ImageLayout::plain);
}

Tensor BasePooling2D::call_in_layout(const Tensor& inputs, bool training,
                                     kernels::ImageLayout layout) {
  const auto image = kernels::nhwc_shape(inputs.shape(), layout);
  (void)compute_output_shape(Shape::of(image));
  kernels::Pooling2DGeometry geometry{.algorithm = pool_mode_ == PoolMode::max
                                                       ? kernels::PoolingAlgorithm::max
                                                       : kernels::PoolingAlgorithm::average,
                                      .data_format = data_format_,
                                      .layout = layout};
  const auto axes = spatial_axes(data_format_);
  for (std::size_t i = 0; i < 2; ++i) {
    geometry.kernel[i] = pool_size_[i];
    geometry.strides[i] = strides_[i];
    if (padding_ != "same") continue;
    const std::int64_t size = image[static_cast<std::size_t>(axes[i])];
    const std::int64_t out = (size + strides_[i] - 1) / strides_[i];
    const std::int64_t total =
        std::max<std::int64_t>((out - 1) * strides_[i] + pool_size_[i] - size, 0);
    geometry.padding_l[i] = total / 2;
    geometry.padding_r[i] = total - total / 2;
  }
  Tensor outputs = plan_->forward(inputs, geometry);
  last_output_ = training && pool_mode_ == PoolMode::max ? outputs : Tensor();
  return outputs;
}

Tensor BasePooling2D::backward(const Tensor& grad_outputs) { return plan_->backward(grad_outputs); }

std::optional<Tensor> BasePooling2D::backward_through_relu(const Tensor& grad_outputs) {
  if (!last_output_.defined() || grad_outputs.shape() != last_output_.shape()) return {};
  if (!relu_ || relu_->shape() != last_output_.shape()) {
    relu_ = std::make_unique<kernels::ActivationPlan>(kernels::activation_from_name("relu"),
                                                      last_output_.shape());
  }
  return plan_->backward(relu_->backward(Tensor(), last_output_, grad_outputs));
}

BaseGlobalPooling2D::BaseGlobalPooling2D(std::string_view class_name,
                                         GlobalPooling2DOptions options, PoolMode pool_mode)
    : Layer(class_name,
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.ndim = 4}),
      pool_mode_(pool_mode),
      data_format_(config::standardize_data_format(options.data_format)),
      keepdims_(options.keepdims),
      plan_(std::make_unique<kernels::Pooling2DPlan>(name())) {}

BaseGlobalPooling2D::~BaseGlobalPooling2D() = default;
BaseGlobalPooling2D::BaseGlobalPooling2D(BaseGlobalPooling2D&& other) = default;

Shape BaseGlobalPooling2D::compute_output_shape(const Shape& input_shape) const {
  assert_input_compatibility(input_shape);
  const Dim& batch = input_shape[0];
  const Dim& channels = input_shape[data_format_ == DataFormat::channels_last ? 3 : 1];
  if (!keepdims_) return {batch, channels};
  if (data_format_ == DataFormat::channels_last) return {batch, 1, 1, channels};
  return {batch, channels, 1, 1};
}

// Global pooling is pooling with the window equal to the image.
Tensor BaseGlobalPooling2D::call(const Tensor& inputs, bool /*training*/) {
  const auto axes = spatial_axes(data_format_);
  const kernels::Pooling2DGeometry geometry{.algorithm = pool_mode_ == PoolMode::max
                                                             ? kernels::PoolingAlgorithm::max
                                                             : kernels::PoolingAlgorithm::average,
                                            .data_format = data_format_,
                                            .kernel = {inputs.dim(axes[0]), inputs.dim(axes[1])},
                                            .strides = {1, 1},
                                            .keepdims = keepdims_};
  return plan_->forward(inputs, geometry);
}

Tensor BaseGlobalPooling2D::backward(const Tensor& grad_outputs) {
  return plan_->backward(grad_outputs);
}

}  // namespace keras::layers

namespace keras::io {

layers::Pooling2DOptions pooling2d_options(ConfigReader& config, std::string_view class_name) {
  layers::LayerArgs args = config.layer_args();
  layers::Pooling2DOptions options;
  options.pool_size = int_pair_from_config(config, "pool_size", class_name, {2, 2});
  options.strides = int_pair_from_config(config, "strides", class_name, {});
  options.padding = config.get<std::string>("padding", "valid");
  options.data_format = config.get<std::string>("data_format", "");
  options.name = std::move(args.name);
  options.trainable = args.trainable;
  options.dtype = std::move(args.dtype);
  options.input_shape = std::move(args.input_shape);
  return options;
}

Json pooling2d_get_config(const layers::BasePooling2D& layer) {
  Json config = base_config(layer);
  config["pool_size"] = layer.pool_size();
  config["padding"] = layer.padding();
  config["strides"] = layer.strides();
  config["data_format"] = name_of(layer.data_format());
  return config;
}

layers::GlobalPooling2DOptions global_pooling2d_options(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  return {
      .data_format = config.get<std::string>("data_format", ""),
      .keepdims = config.get<bool>("keepdims", false),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  };
}

Json global_pooling2d_get_config(const layers::BaseGlobalPooling2D& layer) {
  Json config = base_config(layer);
  config["data_format"] = name_of(layer.data_format());
  config["keepdims"] = layer.keepdims();
  return config;
}

}  // namespace keras::io
