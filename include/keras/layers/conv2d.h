// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/initializers.h"
#include "keras/layers/int_pair.h"
#include "keras/layers/layer.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace keras {
class Sequential;
}

namespace keras::kernels {
class Convolution2DPlan;
struct ActivationSpec;
struct ImageLayouts;
enum class InputGradient;
}  // namespace keras::kernels

namespace keras::detail {
class ActivationState;
}

namespace keras::layers {

/// Options of Conv2D, named, ordered and defaulted as Keras's arguments.
struct Conv2DOptions {
  std::int64_t filters = 0;
  IntPair kernel_size;            // required: `3` or `{3, 5}` (rows, cols)
  IntPair strides = 1;            // `strides > 1` excludes `dilation_rate > 1`
  std::string padding = "valid";  // "valid" or "same" (TensorFlow's rule), any case
  std::string
      data_format;  // "channels_last" or "channels_first"; empty: config::image_data_format()
  IntPair dilation_rate = 1;
  int groups = 1;          // input channels and filters split into this many groups
  std::string activation;  // any Keras activation name; empty: linear
  bool use_bias = true;
  initializers::Initializer kernel_initializer = "glorot_uniform";
  initializers::Initializer bias_initializer = "zeros";
  // Regularizers and constraints as Keras serialises them (JSON text; empty: None). They
  // are kept so that loading and saving a model keeps them; training does not apply them yet.
  std::string kernel_regularizer;
  std::string bias_regularizer;
  std::string activity_regularizer;
  std::string kernel_constraint;
  std::string bias_constraint;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// 2D convolution (cross-correlation) over the rows and columns of NHWC or NCHW images, plus
/// bias, then the activation. The kernel is Keras's `(kh, kw, in / groups, filters)` whatever
/// the data format, so weights load from Keras files as they are.
///
///     model.add(keras::layers::Conv2D({.filters = 32, .kernel_size = 3, .activation = "relu"}));
///
/// Keras: https://keras.io/api/layers/convolution_layers/convolution2d/
class Conv2D final : public Layer {
 public:
  explicit Conv2D(Conv2DOptions options);
  ~Conv2D() override;
  Conv2D(Conv2D&&) noexcept;

  [[nodiscard]] std::string_view class_name() const override { return "Conv2D"; }
  [[nodiscard]] const Conv2DOptions& options() const noexcept { return options_; }
  [[nodiscard]] const std::array<int, 2>& kernel_size() const noexcept { return kernel_size_; }
  [[nodiscard]] const std::array<int, 2>& strides() const noexcept { return strides_; }
  [[nodiscard]] const std::array<int, 2>& dilation_rate() const noexcept { return dilation_rate_; }
  /// "valid" or "same" (lower case).
  [[nodiscard]] const std::string& padding() const noexcept { return padding_; }
  [[nodiscard]] DataFormat data_format() const noexcept { return data_format_; }
  /// The activation as Keras serialises it ("linear" when none).
  [[nodiscard]] std::string activation() const;

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  void build(const Shape& input_shape) override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;
  void backward_weights(const Tensor& grad_outputs) override;

 private:
  // Sequential's training backward may do a ReLU's backward in the MaxPooling2D after this
  // layer (see BasePooling2D::backward_through_relu) and pass `relu_done`.
  friend class keras::Sequential;
  // call() with the input and output in the layouts Sequential chose (kernels/image_layout.h);
  // backward takes and gives gradients in the same layouts.
  [[nodiscard]] Tensor call_in_layouts(const Tensor& inputs, bool training,
                                       const kernels::ImageLayouts& layouts);
  // Whether oneDNN's channel-block kernels can take this layer's input (channels_last, no
  // groups, an activation the convolution applies itself).
  [[nodiscard]] bool takes_channel_blocks() const;
  Tensor backpropagate(const Tensor& grad_outputs, kernels::InputGradient input_gradient,
                       bool relu_done = false);
  Conv2DOptions options_;
  std::array<int, 2> kernel_size_;
  std::array<int, 2> strides_;
  std::array<int, 2> dilation_rate_;
  std::string padding_;
  DataFormat data_format_;
  std::unique_ptr<kernels::ActivationSpec> activation_;
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
  std::unique_ptr<kernels::Convolution2DPlan> plan_;
  // For an activation the plan does not apply (softmax, ...): what its backward reads.
  std::unique_ptr<detail::ActivationState> activation_state_;
};

}  // namespace keras::layers
