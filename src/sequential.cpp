// SPDX-License-Identifier: Apache-2.0
#include "keras/sequential.h"

#include "detail/naming.h"
#include "detail/summary_table.h"
#include "detail/unbuilt_error.h"
#include "io/model_config.h"
#include "keras/layers/base_pooling2d.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/input_layer.h"
#include "kernels/image_layout.h"
#include "kernels/input_gradient.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

namespace keras {
namespace {

bool is_input_layer(const layers::Layer& layer) { return layer.class_name() == "InputLayer"; }

const layers::InputLayer& as_input_layer(const layers::Layer& layer) {
  return static_cast<const layers::InputLayer&>(layer);
}

std::string quoted_names(const std::vector<std::shared_ptr<layers::Layer>>& layers) {
  std::string names;
  for (const auto& layer : layers) {
    names += fmt::format("{}'{}'", names.empty() ? "" : ", ", layer->name());
  }
  return "[" + names + "]";
}

}  // namespace

Sequential::Sequential(std::string name)
    : name_(name.empty() ? detail::unique_object_name("sequential") : std::move(name)) {}

bool Sequential::has_input_layer() const {
  return !layers_.empty() && is_input_layer(*layers_.front());
}

void Sequential::add(std::shared_ptr<layers::Layer> layer) {
  if (!layer) {
    throw ValueError(
        "Only instances of `keras.Layer` can be added to a Sequential model. "
        "Received: None");
  }
  for (const auto& existing : layers_) {
    if (existing != layer && existing->name() == layer->name()) {
      throw ValueError(fmt::format(
          "All layers added to a Sequential model should have unique names. Name '{}' is "
          "already the name of a layer in this model. Update the `name` argument to pass a "
          "unique name.",
          layer->name()));
    }
  }
  if (is_input_layer(*layer)) {
    if (has_input_layer()) {
      throw ValueError(fmt::format(
          "Sequential model '{}' has already been configured to use input shape {}. You "
          "cannot add a different Input layer to it.",
          name_, as_input_layer(*layers_.front()).batch_shape().to_string()));
    }
    if (!layers_.empty()) {
      throw ValueError(fmt::format(
          "An Input layer must come first in Sequential model '{}', which already has layers "
          "{}. Use `model.build(input_shape)` to give it an input shape.",
          name_, quoted_names(layers())));
    }
  }
  const std::size_t size_before = layers_.size();
  try {
    if (layers_.empty() && layer->input_shape_arg()) {
      layers_.push_back(std::make_shared<layers::InputLayer>(
          layers::InputLayerOptions{.shape = layer->input_shape_arg()}));
    }
    layers_.push_back(std::move(layer));
    rebuild();
  } catch (...) {
    // Unlike Keras, a rejected layer leaves the model exactly as it was.
    layers_.resize(size_before);
    rebuild();
    throw;
  }
}

std::shared_ptr<layers::Layer> Sequential::pop() {
  if (layers_.empty()) throw IndexError("pop from empty list");
  auto layer = std::move(layers_.back());
  layers_.pop_back();
  rebuild();
  return layer;
}

std::vector<std::shared_ptr<layers::Layer>> Sequential::layers() const {
  const auto first = layers_.begin() + (has_input_layer() ? 1 : 0);
  return {first, layers_.end()};
}

layers::Layer& Sequential::get_layer(std::string_view name) const {
  for (const auto& layer : layers()) {
    if (layer->name() == name) return *layer;
  }
  throw ValueError(
      fmt::format("No such layer: {}. Existing layers are: {}.", name, quoted_names(layers())));
}

layers::Layer& Sequential::get_layer(int index) const {
  const auto visible = layers();
  if (index < 0 || static_cast<std::size_t>(index) >= visible.size()) {
    throw ValueError(
        fmt::format("Was asked to retrieve layer at index {} but model only has {} layers.", index,
                    visible.size()));
  }
  return *visible[static_cast<std::size_t>(index)];
}

void Sequential::rebuild() {
  built_ = false;
  output_shapes_.clear();
  if (!has_input_layer() || layers_.size() < 2) return;
  std::vector<Shape> shapes{as_input_layer(*layers_.front()).batch_shape()};
  for (std::size_t i = 1; i < layers_.size(); ++i) {
    shapes.push_back(layers_[i]->compute_output_spec(shapes.back()));
  }
  output_shapes_ = std::move(shapes);
  built_ = true;
}

void Sequential::build(const Shape& input_shape) {
  if (layers_.empty()) {
    throw ValueError(
        fmt::format("Sequential model {} cannot be built because it has no layers. Call "
                    "`model.add(layer)`.",
                    name_));
  }
  if (has_input_layer()) {
    const Shape& configured = as_input_layer(*layers_.front()).batch_shape();
    if (configured != input_shape) {
      throw ValueError(fmt::format(
          "Sequential model '{}' has already been configured to use input shape {}. You "
          "cannot build it with input_shape {}",
          name_, configured.to_string(), input_shape.to_string()));
    }
    rebuild();
    return;
  }
  layers_.insert(layers_.begin(), std::make_shared<layers::InputLayer>(
                                      layers::InputLayerOptions{.batch_shape = input_shape}));
  try {
    rebuild();
  } catch (...) {
    layers_.erase(layers_.begin());
    throw;
  }
}

Shape Sequential::input_shape() const {
  if (!built_) {
    throw ValueError(fmt::format("Sequential model '{}' has no defined input shape yet.", name_));
  }
  return output_shapes_.front();
}

Shape Sequential::output_shape() const {
  if (!built_) {
    throw ValueError(fmt::format("Sequential model '{}' has no defined output shape yet.", name_));
  }
  return output_shapes_.back();
}

void Sequential::check_input(const Tensor& inputs) const {
  const Shape expected = input_shape();
  const Shape found = Shape::of(inputs.shape());
  if (!expected.is_compatible_with(found)) {
    throw ValueError(fmt::format(
        "Input 0 of layer \"{}\" is incompatible with the layer: expected shape={}, found "
        "shape={}",
        name_, expected.to_string(), found.to_string()));
  }
}

Tensor Sequential::call(const Tensor& inputs, bool training) {
  if (!built_) {
    if (inputs.rank() == 0) {
      throw ValueError(
          fmt::format("Sequential model '{}' cannot be called on a scalar; its "
                      "input needs a batch axis.",
                      name_));
    }
    build(Shape::of(inputs.shape()).without_batch().with_batch(None));
  }
  check_input(inputs);
  // As Keras, inputs of another dtype (uint8 images, float64 arrays) are cast to float32.
  Tensor outputs = inputs.astype(DType::float32);
  choose_channel_blocks(outputs.dim(0));
  for (std::size_t i = 1; i < layers_.size(); ++i) outputs = call_layer(i, outputs, training);
  return outputs;
}

// A Conv2D or pooling layer that can take channel blocks gets them from a Conv2D of 16k
// filters that can take them too, or from a pooling layer that got its own input in them;
// on batches of 8 or more (on one image, mnist_convnet answers in 67 us with them against
// 63 us without: the reorder out of them costs more than the kernels save), and on CPUs
// where oneDNN has kernels for them.
void Sequential::choose_channel_blocks(std::int64_t batch) {
  channel_block_inputs_.assign(layers_.size() + 1, false);
  if (!config::channel_blocks() || batch < 8 || !kernels::has_channel_block_kernels()) return;
  const auto takes_blocks = [](const layers::Layer& layer) {
    if (const auto* conv = dynamic_cast<const layers::Conv2D*>(&layer)) {
      return conv->takes_channel_blocks();
    }
    const auto* pool = dynamic_cast<const layers::BasePooling2D*>(&layer);
    return pool != nullptr && pool->data_format() == DataFormat::channels_last;
  };
  for (std::size_t i = 2; i < layers_.size(); ++i) {
    const layers::Layer& producer = *layers_[i - 1];
    const auto* conv = dynamic_cast<const layers::Conv2D*>(&producer);
    const bool gives_blocks =
        conv != nullptr
            ? takes_blocks(producer) && conv->options().filters % kernels::channel_block == 0
            : channel_block_inputs_[i - 1];
    channel_block_inputs_[i] = gives_blocks && takes_blocks(*layers_[i]);
  }
}

Tensor Sequential::call_layer(std::size_t index, const Tensor& inputs, bool training) {
  const auto layout = [&](std::size_t i) {
    return channel_block_inputs_[i] ? kernels::ImageLayout::channel_blocks
                                    : kernels::ImageLayout::plain;
  };
  layers::Layer& layer = *layers_[index];
  if (auto* conv = dynamic_cast<layers::Conv2D*>(&layer)) {
    return conv->call_in_layouts(inputs, training, {layout(index), layout(index + 1)});
  }
  if (!channel_block_inputs_[index]) return layer.call(inputs, training);
  Tensor outputs = static_cast<layers::BasePooling2D&>(layer).call_in_layout(
      inputs, training, kernels::ImageLayout::channel_blocks);
  return converts_outputs(index) ? kernels::from_channel_blocks(outputs) : outputs;
}

bool Sequential::converts_outputs(std::size_t index) const {
  return index + 1 < channel_block_inputs_.size() && channel_block_inputs_[index] &&
         !channel_block_inputs_[index + 1] &&
         dynamic_cast<const layers::Conv2D*>(layers_[index].get()) == nullptr;
}

void Sequential::check_each_layer_called_once() const {
  std::set<const layers::Layer*> seen;
  for (const auto& layer : layers_) {
    if (!seen.insert(layer.get()).second) {
      throw NotImplementedError(fmt::format(
          "Sequential model '{}' uses layer '{}' twice; a layer keeps the state of one call, so "
          "the model cannot run backward",
          name_, layer->name()));
    }
  }
}

Tensor Sequential::backward(const Tensor& grad_outputs) {
  check_each_layer_called_once();
  return backpropagate(grad_outputs, 1, true);
}

void Sequential::backward_weights(const Tensor& grad_outputs) {
  check_each_layer_called_once();
  std::size_t first = 1;
  while (first < layers_.size() && layers_[first]->trainable_weights().empty()) ++first;
  if (first < layers_.size()) (void)backpropagate(grad_outputs, first, false);
}

// A Conv2D with ReLU followed by MaxPooling2D runs its ReLU backward on the pooled gradient
// (BasePooling2D::backward_through_relu): the same gradients, bit for bit, on a quarter of
// the elements; for mnist_convnet the ReLU backward was the largest step outside the
// convolutions on two threads.
Tensor Sequential::backpropagate(Tensor grad, std::size_t first, bool first_input_gradient) {
  const auto input_gradient = [&](std::size_t index) {
    return index > first || first_input_gradient ? kernels::InputGradient::compute
                                                 : kernels::InputGradient::skip;
  };
  for (std::size_t i = layers_.size(); i-- > first;) {
    if (converts_outputs(i)) grad = kernels::to_channel_blocks(grad);
    auto* pool = dynamic_cast<layers::BasePooling2D*>(layers_[i].get());
    auto* conv = i > first ? dynamic_cast<layers::Conv2D*>(layers_[i - 1].get()) : nullptr;
    if (pool != nullptr && conv != nullptr && conv->activation() == "relu") {
      if (auto pooled = pool->backward_through_relu(grad)) {
        --i;
        grad = conv->backpropagate(*pooled, input_gradient(i), /*relu_done=*/true);
        continue;
      }
    }
    if (input_gradient(i) == kernels::InputGradient::compute) {
      grad = layers_[i]->backward(grad);
    } else {
      layers_[i]->backward_weights(grad);
    }
  }
  return grad;
}

Tensor Sequential::predict(const Tensor& x, std::int64_t batch_size) {
  if (batch_size <= 0) {
    throw ValueError(fmt::format("`batch_size` must be a positive integer. Received: batch_size={}",
                                 batch_size));
  }
  if (x.rank() == 0 || x.dim(0) == 0) return call(x, false).clone();
  const std::int64_t samples = x.dim(0);
  Tensor outputs;
  for (std::int64_t start = 0; start < samples; start += batch_size) {
    const std::int64_t stop = std::min(samples, start + batch_size);
    const Tensor batch = call(x.slice(start, stop), false);
    if (!outputs.defined()) {
      std::vector<std::int64_t> shape = batch.shape();
      shape[0] = samples;
      outputs = Tensor::empty(std::move(shape), batch.dtype());
    }
    outputs.slice(start, stop).copy_from(batch);
  }
  return outputs;
}

std::vector<Variable> Sequential::weights() const {
  // Keras 3's Layer.weights: layer by layer, each layer's trainable weights then its
  // non-trainable ones (BatchNormalization's moving statistics stay with their layer).
  return collect_weights(&layers::Layer::weights);
}

std::vector<Variable> Sequential::trainable_weights() const {
  return collect_weights(&layers::Layer::trainable_weights);
}

std::vector<Variable> Sequential::non_trainable_weights() const {
  return collect_weights(&layers::Layer::non_trainable_weights);
}

std::vector<Variable> Sequential::collect_weights(std::vector<Variable> (layers::Layer::*of_layer)()
                                                      const) const {
  // A layer added twice shares its weights; Keras counts them once.
  std::vector<Variable> weights;
  std::set<const layers::Layer*> seen;
  for (const auto& layer : layers_) {
    if (!seen.insert(layer.get()).second) continue;
    const auto own = (*layer.*of_layer)();
    weights.insert(weights.end(), own.begin(), own.end());
  }
  return weights;
}

std::int64_t Sequential::count_params() const {
  if (!built_) {
    throw detail::count_params_unbuilt_error(name_);
  }
  std::int64_t count = 0;
  for (const Variable& variable : weights()) count += variable.value().size();
  return count;
}

std::vector<Tensor> Sequential::get_weights() const {
  std::vector<Tensor> values;
  for (const Variable& variable : weights()) values.push_back(variable.value().clone());
  return values;
}

void Sequential::set_weights(const std::vector<Tensor>& values) {
  const std::size_t expected = weights().size();
  if (values.size() != expected) {
    throw ValueError(fmt::format(
        "You called `set_weights(weights)` on layer '{}' with a weight list of length {}, but "
        "the layer was expecting {} weights.",
        name_, values.size(), expected));
  }
  auto next = values.begin();
  for (const auto& layer : layers_) {
    const auto count = static_cast<std::ptrdiff_t>(layer->weights().size());
    layer->set_weights({next, next + count});
    next += count;
  }
}

std::string Sequential::to_json() const { return io::sequential_config(*this).dump(); }

void Sequential::summary(const SummaryOptions& options) const {
  detail::SummaryData data{.model_name = name_};
  const std::size_t first = has_input_layer() ? 1 : 0;
  for (std::size_t i = first; i < layers_.size(); ++i) {
    const layers::Layer& layer = *layers_[i];
    data.rows.push_back({
        .layer = fmt::format("{} ({})", layer.name(), layer.class_name()),
        .output_shape = built_ ? detail::format_summary_shape(output_shapes_[i]) : "?",
        .params =
            layer.built() ? detail::with_thousands_separators(layer.count_params()) : "0 (unbuilt)",
    });
  }
  for (const Variable& variable : trainable_weights()) {
    data.trainable_count += variable.value().size();
    data.trainable_bytes += static_cast<std::int64_t>(variable.value().nbytes());
  }
  for (const Variable& variable : non_trainable_weights()) {
    data.non_trainable_count += variable.value().size();
    data.non_trainable_bytes += static_cast<std::int64_t>(variable.value().nbytes());
  }
  if (optimizer_ && optimizer_->built()) {
    data.optimizer_count = 0;
    for (const Variable& variable : optimizer_->variables()) {
      *data.optimizer_count += variable.value().size();
      data.optimizer_bytes += static_cast<std::int64_t>(variable.value().nbytes());
    }
  }
  const std::string text = detail::format_summary(data, options.line_length);
  if (options.print_fn) {
    options.print_fn(text);
  } else {
    std::cout << text << std::flush;
  }
}

}  // namespace keras
