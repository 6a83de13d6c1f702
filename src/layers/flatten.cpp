// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/flatten.h"

#include "io/layer_config.h"
#include "io/layer_registry.h"

#include <numeric>

namespace keras::layers {
namespace {

std::int64_t product_after_batch(const std::vector<std::int64_t>& shape) {
  return std::accumulate(shape.begin() + 1, shape.end(), std::int64_t{1}, std::multiplies<>());
}

// (0, 2, 3, ..., rank-1, 1): channels first -> channels last.
std::vector<int> channels_to_last(int rank) {
  std::vector<int> axes{0};
  for (int axis = 2; axis < rank; ++axis) axes.push_back(axis);
  axes.push_back(1);
  return axes;
}

// (0, rank-1, 1, 2, ..., rank-2): channels last -> channels first.
std::vector<int> channels_to_first(int rank) {
  std::vector<int> axes{0, rank - 1};
  for (int axis = 1; axis < rank - 1; ++axis) axes.push_back(axis);
  return axes;
}

}  // namespace

Flatten::Flatten(FlattenOptions options)
    : Layer("Flatten",
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.min_ndim = 1}),
      data_format_(config::standardize_data_format(options.data_format)) {}

Flatten Flatten::from_config(std::string_view config_json) {
  auto layer = io::layer_from_config("Flatten", io::parse_json(config_json, "Flatten config"));
  return std::move(static_cast<Flatten&>(*layer));
}

bool Flatten::moves_channels(int rank) const noexcept {
  return data_format_ == DataFormat::channels_first && rank > 2;
}

Shape Flatten::compute_output_shape(const Shape& input_shape) const {
  const Dim batch = input_shape[0];
  if (input_shape.rank() == 1) return {batch, 1};
  return {batch, input_shape.without_batch().num_elements()};
}

Tensor Flatten::call(const Tensor& inputs, bool /*training*/) {
  last_input_shape_ = inputs.shape();
  const std::int64_t batch = inputs.dim(0);
  const std::int64_t features = product_after_batch(inputs.shape());
  if (moves_channels(inputs.rank())) {
    // The one copy: NCHW -> NHWC, so the features come out in (h, w, c) order.
    return inputs.permute(channels_to_last(inputs.rank())).contiguous().reshape({batch, features});
  }
  return inputs.reshape({batch, features});
}

Tensor Flatten::backward(const Tensor& grad_outputs) {
  if (!moves_channels(static_cast<int>(last_input_shape_.size()))) {
    return grad_outputs.reshape(last_input_shape_);
  }
  std::vector<std::int64_t> channels_last_shape{last_input_shape_[0]};
  channels_last_shape.insert(channels_last_shape.end(), last_input_shape_.begin() + 2,
                             last_input_shape_.end());
  channels_last_shape.push_back(last_input_shape_[1]);
  const int rank = static_cast<int>(last_input_shape_.size());
  return grad_outputs.reshape(channels_last_shape).permute(channels_to_first(rank)).contiguous();
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> flatten_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  return std::make_unique<layers::Flatten>(layers::FlattenOptions{
      .data_format = config.get<std::string>("data_format", ""),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json flatten_get_config(const layers::Flatten& layer) {
  Json config = base_config(layer);
  config["data_format"] = name_of(layer.data_format());
  return config;
}

}  // namespace keras::io
