// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/zero_padding2d.h"

#include "io/layer_config.h"
#include "io/layer_registry.h"
#include "layers/pads2d_args.h"

namespace keras::layers {
namespace {

// The height axis; the width axis follows it.
int height_axis(DataFormat format) { return format == DataFormat::channels_first ? 2 : 1; }

}  // namespace

ZeroPadding2D::ZeroPadding2D(ZeroPadding2DOptions options)
    : Layer("ZeroPadding2D",
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.ndim = 4}),
      padding_(options.padding),
      data_format_(config::standardize_data_format(options.data_format)) {
  check_pads(padding_, "padding");
}

ZeroPadding2D ZeroPadding2D::from_config(std::string_view config_json) {
  auto layer =
      io::layer_from_config("ZeroPadding2D", io::parse_json(config_json, "ZeroPadding2D config"));
  return std::move(static_cast<ZeroPadding2D&>(*layer));
}

Shape ZeroPadding2D::compute_output_shape(const Shape& input_shape) const {
  assert_input_compatibility(input_shape);
  std::vector<Dim> output = input_shape.dims();
  const auto height = static_cast<std::size_t>(height_axis(data_format_));
  // Unknown axes stay unknown.
  if (output[height]) *output[height] += padding_.top() + padding_.bottom();
  if (output[height + 1]) *output[height + 1] += padding_.left() + padding_.right();
  return Shape(std::move(output));
}

Tensor ZeroPadding2D::interior(const Tensor& padded, const std::vector<std::int64_t>& inner) const {
  const int height = height_axis(data_format_);
  const auto index = static_cast<std::size_t>(height);
  return padded.narrow(height, padding_.top(), inner[index])
      .narrow(height + 1, padding_.left(), inner[index + 1]);
}

Tensor ZeroPadding2D::call(const Tensor& inputs, bool /*training*/) {
  last_input_shape_ = inputs.shape();
  Tensor outputs =
      Tensor::zeros(compute_output_shape(Shape::of(inputs.shape())).sizes(), inputs.dtype());
  last_output_shape_ = outputs.shape();
  // One oneDNN reorder (kernels::copy_strided) writes the input into the zero frame.
  interior(outputs, last_input_shape_).copy_from(inputs);
  return outputs;
}

Tensor ZeroPadding2D::backward(const Tensor& grad_outputs) {
  check_grad_outputs(name(), last_output_shape_, grad_outputs);
  // The padding is constant, so only the interior passes gradient back.
  return interior(grad_outputs, last_input_shape_).contiguous();
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> zero_padding2d_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  const Json padding = config.get<Json>("padding", nullptr);
  return std::make_unique<layers::ZeroPadding2D>(layers::ZeroPadding2DOptions{
      .padding = padding.is_null() ? layers::Pads2D{1, 1} : pads_from_json(padding, "padding"),
      .data_format = config.get<std::string>("data_format", ""),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json zero_padding2d_get_config(const layers::ZeroPadding2D& layer) {
  Json config = base_config(layer);
  config["padding"] = pads_json(layer.padding());
  config["data_format"] = name_of(layer.data_format());
  return config;
}

}  // namespace keras::io
