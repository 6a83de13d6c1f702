// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/permute.h"

#include "io/layer_config.h"
#include "io/layer_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace keras::layers {
namespace {

// Keras's `sorted(dims) != list(range(1, len(dims) + 1))`.
bool is_one_based_permutation(std::vector<int> dims) {
  std::sort(dims.begin(), dims.end());
  std::vector<int> expected(dims.size());
  std::iota(expected.begin(), expected.end(), 1);
  return dims == expected;
}

// The dims as Python prints the tuple: `(2, 1)`, `(1,)`.
std::string dims_repr(const std::vector<int>& dims) {
  std::vector<std::int64_t> sizes(dims.begin(), dims.end());
  return Shape::of(sizes).to_string();
}

}  // namespace

Permute::Permute(PermuteOptions options)
    : Layer("Permute",
            {std::move(options.name), options.trainable, std::move(options.dtype),
             std::move(options.input_shape)},
            InputSpec{.ndim = static_cast<int>(options.dims.size()) + 1}),
      dims_(std::move(options.dims)) {
  // keras/src/layers/reshaping/permute.py, __init__.
  if (!is_one_based_permutation(dims_)) {
    throw ValueError(fmt::format(
        "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` "
        "must be consecutive and start from 1. Received dims={}",
        dims_repr(dims_)));
  }
  forward_axes_.push_back(0);
  forward_axes_.insert(forward_axes_.end(), dims_.begin(), dims_.end());
  backward_axes_.resize(forward_axes_.size());
  for (std::size_t axis = 0; axis < forward_axes_.size(); ++axis) {
    backward_axes_[static_cast<std::size_t>(forward_axes_[axis])] = static_cast<int>(axis);
  }
}

Permute Permute::from_config(std::string_view config_json) {
  auto layer = io::layer_from_config("Permute", io::parse_json(config_json, "Permute config"));
  return std::move(static_cast<Permute&>(*layer));
}

Shape Permute::compute_output_shape(const Shape& input_shape) const {
  assert_input_compatibility(input_shape);
  std::vector<Dim> output;
  for (const int axis : forward_axes_) output.push_back(input_shape[axis]);
  return Shape(std::move(output));
}

Tensor Permute::call(const Tensor& inputs, bool /*training*/) {
  // A strided view, then one oneDNN reorder (kernels::copy_strided) into the new axis order.
  return inputs.permute(forward_axes_).contiguous();
}

Tensor Permute::backward(const Tensor& grad_outputs) {
  return grad_outputs.permute(backward_axes_).contiguous();
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> permute_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  if (config.get<Json>("dims", nullptr).is_null()) {
    // What Python says when from_config calls Permute(**config) without it.
    throw TypeError("Permute.__init__() missing 1 required positional argument: 'dims'");
  }
  return std::make_unique<layers::Permute>(layers::PermuteOptions{
      .dims = config.get<std::vector<int>>("dims", {}),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json permute_get_config(const layers::Permute& layer) {
  Json config = base_config(layer);
  config["dims"] = layer.dims();
  return config;
}

}  // namespace keras::io
