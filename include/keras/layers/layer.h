// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/dtype.h"
#include "keras/shape.h"
#include "keras/tensor.h"
#include "keras/variable.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keras::layers {

/// What a layer accepts (Keras's `InputSpec`): checked, with Keras's message, before the
/// layer sees a shape.
struct InputSpec {
  std::optional<int> ndim;
  std::optional<int> min_ndim;
  std::optional<int> max_ndim;
  std::vector<std::pair<int, std::int64_t>> axes;  // axis (negative from the end) -> size
};

/// The keyword arguments every Keras layer takes; each layer's options end with these.
struct LayerArgs {
  std::string name;  // empty: Keras's automatic name (`flatten`, `flatten_1`)
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // legacy `input_shape=`; only a Sequential's first layer uses it
};

/// The base of every layer. A layer is built once for an input shape, then called on
/// tensors; `backward` returns the gradient for its input and writes the gradients of its
/// weights into each Variable's gradient(), from what the last `call(..., training)` kept.
/// A layer keeps the state of one call, so a model that calls it twice cannot run backward.
class Layer {
 public:
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;
  Layer(Layer&&) = default;
  Layer& operator=(Layer&&) = delete;

  /// The Keras class name, e.g. "Flatten".
  [[nodiscard]] virtual std::string_view class_name() const = 0;
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] bool trainable() const noexcept { return trainable_; }
  void set_trainable(bool trainable) noexcept { trainable_ = trainable; }
  [[nodiscard]] DType dtype() const noexcept { return dtype_; }
  /// The legacy `input_shape=` argument, without the batch axis.
  [[nodiscard]] const std::optional<Shape>& input_shape_arg() const noexcept {
    return input_shape_arg_;
  }
  [[nodiscard]] const InputSpec& input_spec() const noexcept { return input_spec_; }

  /// The output shape for `input_shape` (batch axis included); throws ValueError naming the
  /// layer and the shape when the layer cannot take it.
  [[nodiscard]] virtual Shape compute_output_shape(const Shape& input_shape) const = 0;
  /// Creates the weights for `input_shape`; the base records the shape and marks the layer built.
  virtual void build(const Shape& input_shape);
  [[nodiscard]] bool built() const noexcept { return built_; }
  /// The shape `build` was called with.
  [[nodiscard]] const std::optional<Shape>& build_input_shape() const noexcept {
    return build_input_shape_;
  }

  /// Keras's symbolic call: checks the input spec, builds once, returns the output shape.
  [[nodiscard]] Shape compute_output_spec(const Shape& input_shape);
  /// Keras's `layer(x)`: checks the input spec, builds on first use, then calls.
  [[nodiscard]] Tensor operator()(const Tensor& inputs, bool training = false);

  /// The forward computation on a batch.
  [[nodiscard]] virtual Tensor call(const Tensor& inputs, bool training) = 0;
  /// dL/dinputs from dL/doutputs of the last call; weight gradients go to each Variable.
  [[nodiscard]] virtual Tensor backward(const Tensor& grad_outputs) = 0;
  /// Only the weight gradients of the last call, for a layer whose dL/dinputs nobody reads (a
  /// model's first trainable layer in training); layers for which dL/dinputs is work of its
  /// own skip it.
  virtual void backward_weights(const Tensor& grad_outputs) { (void)backward(grad_outputs); }

  /// Trainable weights first, then non-trainable ones, as Keras orders them for saving.
  [[nodiscard]] std::vector<Variable> weights() const;
  [[nodiscard]] std::vector<Variable> trainable_weights() const;
  [[nodiscard]] std::vector<Variable> non_trainable_weights() const;
  /// Copies of the weights' values in Keras order (Python: `layer.get_weights()`).
  [[nodiscard]] std::vector<Tensor> get_weights() const;
  /// Sets every weight from `values` in Keras order (Python: `layer.set_weights(...)`);
  /// throws ValueError naming the layer and the shapes when they do not fit.
  void set_weights(const std::vector<Tensor>& values);
  /// Number of scalars in all weights; throws ValueError if the layer is not built.
  [[nodiscard]] std::int64_t count_params() const;

  /// The Keras config as JSON text with Keras's key names, e.g.
  /// `{"name": "flatten", "trainable": true, "dtype": {...}, "data_format": "channels_last"}`.
  [[nodiscard]] std::string get_config() const;

 protected:
  Layer(std::string_view class_name, LayerArgs args, InputSpec input_spec = {});
  /// Checks `input_shape` against the input spec with Keras's message.
  void assert_input_compatibility(const Shape& input_shape) const;
  void set_input_spec(InputSpec input_spec) { input_spec_ = std::move(input_spec); }
  Variable& add_weight(std::string_view name, Tensor value, bool trainable);

 private:
  std::string name_;
  bool trainable_;
  DType dtype_;
  std::optional<Shape> input_shape_arg_;
  InputSpec input_spec_;
  bool built_ = false;
  std::optional<Shape> build_input_shape_;
  std::deque<Variable> variables_;  // a deque: add_weight's references stay valid
};

/// Builds a layer from Keras's serialised form `{"class_name": ..., "config": {...}}`
/// (JSON text); throws NotImplementedError for a class kerascpp lacks.
[[nodiscard]] std::unique_ptr<Layer> deserialize(std::string_view json);

}  // namespace keras::layers
