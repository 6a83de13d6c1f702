// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/cropping2d.h"

#include "io/layer_config.h"
#include "io/layer_registry.h"
#include "layers/pads2d_args.h"

#include <fmt/format.h>

namespace keras::layers {
namespace {

// The height axis; the width axis follows it.
int height_axis(DataFormat format) { return format == DataFormat::channels_first ? 2 : 1; }

}  // namespace

Cropping2D::Cropping2D(Cropping2DOptions options)
    : Layer("Cropping2D",
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.ndim = 4}),
      cropping_(options.cropping),
      data_format_(config::standardize_data_format(options.data_format)) {
  check_pads(cropping_, "cropping");
}

Cropping2D Cropping2D::from_config(std::string_view config_json) {
  auto layer =
      io::layer_from_config("Cropping2D", io::parse_json(config_json, "Cropping2D config"));
  return std::move(static_cast<Cropping2D&>(*layer));
}

// keras/src/layers/reshaping/cropping2d.py: a crop must leave every spatial axis non-empty.
void Cropping2D::check_fits(const Shape& shape, std::string_view what) const {
  const int height = height_axis(data_format_);
  const Dim& rows = shape[height];
  const Dim& cols = shape[height + 1];
  if ((rows && cropping_.top() + cropping_.bottom() >= *rows) ||
      (cols && cropping_.left() + cropping_.right() >= *cols)) {
    throw ValueError(fmt::format(
        "Values in `cropping` argument should be smaller than the corresponding spatial "
        "dimension of the input. Received: {}={}, cropping={}",
        what, shape.to_string(), pads_repr(cropping_)));
  }
}

Shape Cropping2D::compute_output_shape(const Shape& input_shape) const {
  assert_input_compatibility(input_shape);
  check_fits(input_shape, "input_shape");
  std::vector<Dim> output = input_shape.dims();
  const auto height = static_cast<std::size_t>(height_axis(data_format_));
  // Unknown axes stay unknown.
  if (output[height]) *output[height] -= cropping_.top() + cropping_.bottom();
  if (output[height + 1]) *output[height + 1] -= cropping_.left() + cropping_.right();
  return Shape(std::move(output));
}

Tensor Cropping2D::interior(const Tensor& full) const {
  const int height = height_axis(data_format_);
  return full
      .narrow(height, cropping_.top(), full.dim(height) - cropping_.top() - cropping_.bottom())
      .narrow(height + 1, cropping_.left(),
              full.dim(height + 1) - cropping_.left() - cropping_.right());
}

Tensor Cropping2D::call(const Tensor& inputs, bool /*training*/) {
  check_fits(Shape::of(inputs.shape()), "inputs.shape");
  last_input_shape_ = inputs.shape();
  // A strided view, then one oneDNN reorder (kernels::copy_strided) into a packed tensor.
  Tensor outputs = interior(inputs).contiguous();
  last_output_shape_ = outputs.shape();
  return outputs;
}

Tensor Cropping2D::backward(const Tensor& grad_outputs) {
  check_grad_outputs(name(), last_output_shape_, grad_outputs);
  // The cropped-away border gets no gradient.
  Tensor grad_inputs = Tensor::zeros(last_input_shape_, grad_outputs.dtype());
  interior(grad_inputs).copy_from(grad_outputs);
  return grad_inputs;
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> cropping2d_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  const Json cropping = config.get<Json>("cropping", nullptr);
  return std::make_unique<layers::Cropping2D>(layers::Cropping2DOptions{
      .cropping = cropping.is_null() ? layers::Pads2D{{0, 0}, {0, 0}}
                                     : pads_from_json(cropping, "cropping"),
      .data_format = config.get<std::string>("data_format", ""),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json cropping2d_get_config(const layers::Cropping2D& layer) {
  Json config = base_config(layer);
  config["cropping"] = pads_json(layer.cropping());
  config["data_format"] = name_of(layer.data_format());
  return config;
}

}  // namespace keras::io
