// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/layer.h"

#include "detail/naming.h"
#include "detail/unbuilt_error.h"
#include "io/layer_registry.h"

#include <fmt/format.h>

#include <algorithm>

namespace keras::layers {
namespace {

std::string layer_name(std::string_view class_name, std::string name) {
  if (name.empty()) return detail::unique_object_name(detail::to_snake_case(class_name));
  if (name.find('/') != std::string::npos) {
    throw ValueError(fmt::format(
        "Argument `name` must be a string and cannot contain character `/`. Received: name={}",
        name));
  }
  return name;
}

// Layers compute in float32, the dtype of every Keras model kerascpp runs.
DType layer_dtype(const std::string& name, const std::string& layer) {
  const DType dtype = dtype_from_name(name);
  if (dtype != DType::float32) {
    throw ValueError(
        fmt::format("Layer '{}' cannot compute in dtype '{}': kerascpp layers compute in float32.",
                    layer, name));
  }
  return dtype;
}

std::string incompatible_input(const std::string& layer, const std::string& expectation,
                               const Shape& shape) {
  return fmt::format(
      "Input 0 of layer \"{}\" is incompatible with the layer: {}. Full shape received: {}", layer,
      expectation, shape.to_string());
}

}  // namespace

Layer::Layer(std::string_view class_name, LayerArgs args, InputSpec input_spec)
    : name_(layer_name(class_name, std::move(args.name))),
      trainable_(args.trainable),
      dtype_(layer_dtype(args.dtype, name_)),
      input_shape_arg_(std::move(args.input_shape)),
      input_spec_(std::move(input_spec)) {}

void Layer::build(const Shape& input_shape) {
  build_input_shape_ = input_shape;
  built_ = true;
}

void Layer::assert_input_compatibility(const Shape& input_shape) const {
  const int ndim = input_shape.rank();
  if (input_spec_.ndim && ndim != *input_spec_.ndim) {
    throw ValueError(incompatible_input(
        name_, fmt::format("expected ndim={}, found ndim={}", *input_spec_.ndim, ndim),
        input_shape));
  }
  if (input_spec_.max_ndim && ndim > *input_spec_.max_ndim) {
    throw ValueError(incompatible_input(
        name_, fmt::format("expected max_ndim={}, found ndim={}", *input_spec_.max_ndim, ndim),
        input_shape));
  }
  if (input_spec_.min_ndim && ndim < *input_spec_.min_ndim) {
    throw ValueError(incompatible_input(
        name_, fmt::format("expected min_ndim={}, found ndim={}", *input_spec_.min_ndim, ndim),
        input_shape));
  }
  for (const auto& [axis, size] : input_spec_.axes) {
    const int index = axis < 0 ? axis + ndim : axis;
    const Dim& found = input_shape[index];
    if (found && *found != size) {
      throw ValueError(fmt::format(
          "Input 0 of layer \"{}\" is incompatible with the layer: expected axis {} of input "
          "shape to have value {}, but received input with shape {}",
          name_, axis, size, input_shape.to_string()));
    }
  }
}

Shape Layer::compute_output_spec(const Shape& input_shape) {
  assert_input_compatibility(input_shape);
  Shape output_shape = compute_output_shape(input_shape);
  if (!built_) build(input_shape);
  return output_shape;
}

Tensor Layer::operator()(const Tensor& inputs, bool training) {
  const Shape shape = Shape::of(inputs.shape());
  assert_input_compatibility(shape);
  // The shape rules live in compute_output_shape; eager calls go through them too.
  (void)compute_output_shape(shape);
  if (!built_) {
    // Keras builds with the batch axis unknown, so the layer takes any batch size after.
    build(shape.rank() > 0 ? shape.without_batch().with_batch(None) : shape);
  }
  // As Keras, inputs of another dtype are cast to the layer's float32.
  return call(inputs.astype(dtype_), training);
}

std::vector<Variable> Layer::weights() const {
  std::vector<Variable> weights = trainable_weights();
  const std::vector<Variable> frozen = non_trainable_weights();
  weights.insert(weights.end(), frozen.begin(), frozen.end());
  return weights;
}

std::vector<Variable> Layer::trainable_weights() const {
  std::vector<Variable> weights;
  if (!trainable_) return weights;
  std::copy_if(variables_.begin(), variables_.end(), std::back_inserter(weights),
               [](const Variable& variable) { return variable.trainable(); });
  return weights;
}

std::vector<Variable> Layer::non_trainable_weights() const {
  std::vector<Variable> weights;
  std::copy_if(variables_.begin(), variables_.end(), std::back_inserter(weights),
               [this](const Variable& variable) { return !trainable_ || !variable.trainable(); });
  return weights;
}

std::vector<Tensor> Layer::get_weights() const {
  std::vector<Tensor> values;
  for (const Variable& variable : weights()) values.push_back(variable.value().clone());
  return values;
}

void Layer::set_weights(const std::vector<Tensor>& values) {
  std::vector<Variable> variables = weights();
  if (values.size() != variables.size()) {
    throw ValueError(fmt::format(
        "You called `set_weights(weights)` on layer '{}' with a weight list of length {}, but "
        "the layer was expecting {} weights.",
        name_, values.size(), variables.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].shape() != variables[i].value().shape()) {
      throw ValueError(
          fmt::format("Layer {} weight shape {} is not compatible with provided weight shape {}.",
                      name_, Shape::of(variables[i].value().shape()).to_string(),
                      Shape::of(values[i].shape()).to_string()));
    }
  }
  for (std::size_t i = 0; i < values.size(); ++i) variables[i].assign(values[i]);
}

std::int64_t Layer::count_params() const {
  if (!built_) {
    throw detail::count_params_unbuilt_error(name_);
  }
  std::int64_t count = 0;
  for (const Variable& variable : variables_) count += variable.value().size();
  return count;
}

Variable& Layer::add_weight(std::string_view name, Tensor value, bool trainable) {
  return variables_.emplace_back(fmt::format("{}/{}", name_, name), std::move(value), trainable);
}

std::string Layer::get_config() const { return io::layer_config(*this).dump(); }

std::unique_ptr<Layer> deserialize(std::string_view json) {
  return io::layer_from_json(io::parse_json(json, "layer config"));
}

}  // namespace keras::layers
