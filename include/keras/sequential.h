// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"
#include "keras/callbacks/history.h"
#include "keras/layers/layer.h"
#include "keras/losses/loss.h"
#include "keras/metrics/metric.h"
#include "keras/optimizers/optimizer.h"
#include "keras/shape.h"
#include "keras/tensor.h"

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keras {

namespace training {
class Trainer;
}

namespace detail {
struct SequentialAccess;
}

/// How `summary()` prints (Keras's `summary(line_length=..., print_fn=...)`).
struct SummaryOptions {
  int line_length = 0;                               // 0: min(88, terminal columns - 4)
  std::function<void(const std::string&)> print_fn;  // empty: print to standard output
};

/// fit/evaluate/predict's `verbose="auto"`: a progress bar on a terminal, one line per epoch
/// otherwise (so logs stay readable).
inline constexpr int verbose_auto = -1;

/// `model.compile(optimizer=..., loss=..., metrics=[...])`: identifiers or objects.
struct CompileOptions {
  optimizers::OptimizerArg optimizer = "rmsprop";
  losses::LossArg loss;
  std::vector<metrics::MetricArg> metrics;
};

/// fit's keyword arguments, with Keras's defaults, in Keras's order.
struct FitOptions {
  std::int64_t batch_size = 32;
  int epochs = 1;
  int verbose = verbose_auto;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<std::shared_ptr<callbacks::Callback>> callbacks;
  double validation_split = 0.0;  // the last fraction of x and y, taken before shuffling
  std::optional<std::pair<Tensor, Tensor>> validation_data;  // wins over validation_split
  bool shuffle = true;
  int initial_epoch = 0;
};

/// evaluate's keyword arguments.
struct EvaluateOptions {
  std::int64_t batch_size = 32;
  int verbose = verbose_auto;
  std::vector<std::shared_ptr<callbacks::Callback>> callbacks;
};

/// A linear stack of layers (Python: `keras.Sequential`). Shapes are inferred as layers
/// are added once the input shape is known (an Input first, or `input_shape=` on the
/// first layer); a layer that cannot take the previous output is rejected, and the
/// model stays as it was.
///
///     keras::Sequential model;
///     model.add(keras::layers::Flatten({.input_shape = {28, 28, 1}}));
///     model.summary();
class Sequential {
 public:
  explicit Sequential(std::string name = "");

  /// Adds a layer given by value, e.g. `model.add(keras::layers::Flatten())`.
  template <std::derived_from<layers::Layer> LayerType>
  void add(LayerType layer) {
    add(std::make_shared<LayerType>(std::move(layer)));
  }
  /// Adds a layer that may be shared with other models.
  void add(std::shared_ptr<layers::Layer> layer);
  /// Removes and returns the last layer; throws IndexError when there is none.
  std::shared_ptr<layers::Layer> pop();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The layers, without the InputLayer (as Keras's `model.layers`).
  [[nodiscard]] std::vector<std::shared_ptr<layers::Layer>> layers() const;
  /// The layers with the InputLayer first, as Keras's config lists them.
  [[nodiscard]] const std::vector<std::shared_ptr<layers::Layer>>& layers_with_input()
      const noexcept {
    return layers_;
  }
  /// The layer called `name`; throws ValueError listing the existing names.
  [[nodiscard]] layers::Layer& get_layer(std::string_view name) const;
  /// The layer at `index` in layers(); throws ValueError when out of range.
  [[nodiscard]] layers::Layer& get_layer(int index) const;

  /// Builds for `input_shape`, batch axis included, e.g. `{None, 28, 28, 1}`.
  void build(const Shape& input_shape);
  [[nodiscard]] bool built() const noexcept { return built_; }
  /// The model's input and output shapes; throw ValueError until the model is built.
  [[nodiscard]] Shape input_shape() const;
  [[nodiscard]] Shape output_shape() const;

  /// The forward pass on one batch (`model(x, training=...)`).
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training = false);
  /// The backward pass of the last call: dL/dinputs from dL/doutputs.
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs);
  /// The same for training: only the weight gradients, so the layers before the first
  /// trainable one run no backward and that one computes no dL/dinputs.
  void backward_weights(const Tensor& grad_outputs);
  /// Inference on `x` in batches of `batch_size`, outputs concatenated along the batch.
  [[nodiscard]] Tensor predict(const Tensor& x, std::int64_t batch_size = 32);

  [[nodiscard]] std::vector<Variable> weights() const;
  [[nodiscard]] std::vector<Variable> trainable_weights() const;
  [[nodiscard]] std::vector<Variable> non_trainable_weights() const;
  [[nodiscard]] std::int64_t count_params() const;
  /// Every layer's weight values, layer by layer in Keras order (`model.get_weights()`).
  [[nodiscard]] std::vector<Tensor> get_weights() const;
  /// Sets them all; throws ValueError naming the layer and shapes when they do not fit.
  void set_weights(const std::vector<Tensor>& values);

  /// Keras 3's serialised model, `{"module": "keras", "class_name": "Sequential", "config":
  /// {..., "layers": [...]}, ...}`, as JSON text (what `.keras` files hold in config.json).
  [[nodiscard]] std::string to_json() const;

  /// Writes a Keras 3 `.keras` file (`model.save(path)`; keras::models::save_model).
  void save(const std::string& path) const;
  /// Writes a Keras 3 `.weights.h5` file (`model.save_weights(path)`).
  void save_weights(const std::string& path) const;
  /// Reads a `.weights.h5`, `.keras` or legacy `.h5` file (`model.load_weights(path)`).
  void load_weights(const std::string& path);

  /// Configures training (Python: `model.compile(...)`); throws ValueError for an unknown
  /// identifier.
  void compile(CompileOptions options);
  [[nodiscard]] bool compiled() const noexcept { return loss_ != nullptr; }
  /// Trains for `options.epochs` epochs on (x, y), batch axis first; returns the History.
  callbacks::History fit(const Tensor& x, const Tensor& y, FitOptions options = {});
  /// The loss and metrics on (x, y) in inference mode, by name (Python's
  /// `evaluate(..., return_dict=True)`).
  callbacks::Logs evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options = {});
  /// One training step on one batch; the batch's loss and metrics by name.
  callbacks::Logs train_on_batch(const Tensor& x, const Tensor& y);
  /// The loss and metrics of one batch in inference mode.
  callbacks::Logs test_on_batch(const Tensor& x, const Tensor& y);
  /// The compiled optimizer and loss; throw ValueError before compile().
  [[nodiscard]] optimizers::Optimizer& optimizer() const;
  [[nodiscard]] losses::Loss& loss() const;
  /// Set by a callback to end fit() after the current batch (Python: `model.stop_training`).
  void set_stop_training(bool stop) noexcept { stop_training_ = stop; }
  [[nodiscard]] bool stop_training() const noexcept { return stop_training_; }

  /// Prints Keras 3's summary table.
  void summary(const SummaryOptions& options = {}) const;

 private:
  // A layer keeps the state of one call, so one used twice cannot run backward.
  void check_each_layer_called_once() const;
  // The backward of layers_[first..]: dL/d(inputs of layers_[first]), or only the weight
  // gradients when `first_input_gradient` is false.
  Tensor backpropagate(Tensor grad, std::size_t first, bool first_input_gradient);
  // Which layers take their input in channel blocks (kernels/image_layout.h), for this call.
  void choose_channel_blocks(std::int64_t batch);
  // Runs layers_[index] on `inputs`, in channel blocks where channel_block_inputs_ says.
  [[nodiscard]] Tensor call_layer(std::size_t index, const Tensor& inputs, bool training);
  // Whether call_layer converted layers_[index]'s outputs out of channel blocks.
  [[nodiscard]] bool converts_outputs(std::size_t index) const;
  friend class training::Trainer;  // the fit/evaluate loops, in src/training/
  friend struct detail::SequentialAccess;

  [[nodiscard]] bool has_input_layer() const;
  /// Infers every output shape from the InputLayer; when that is impossible the model
  /// simply stays unbuilt, as in Keras.
  void rebuild();
  void check_input(const Tensor& inputs) const;
  [[nodiscard]] std::vector<Variable> collect_weights(
      std::vector<Variable> (layers::Layer::*of_layer)() const) const;

  std::string name_;
  std::shared_ptr<optimizers::Optimizer> optimizer_;
  std::shared_ptr<losses::Loss> loss_;
  std::vector<metrics::MetricArg> metric_args_;
  std::vector<std::shared_ptr<metrics::Metric>> metrics_;  // resolved on the first batch
  bool stop_training_ = false;
  std::vector<std::shared_ptr<layers::Layer>> layers_;  // the InputLayer first, if any
  std::vector<Shape> output_shapes_;                    // per layer, once built
  // Per layer, whether the last call gave it its input in channel blocks
  // (kernels/image_layout.h); one more entry, false, for the model's output.
  std::vector<bool> channel_block_inputs_;
  bool built_ = false;
};

}  // namespace keras
