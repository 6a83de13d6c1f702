// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/layers/int_pair.h"
#include "keras/layers/layer.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace keras {
class Sequential;
}

namespace keras::kernels {
class ActivationPlan;
class Pooling2DPlan;
enum class ImageLayout;
}  // namespace keras::kernels

namespace keras::layers {

/// How a pooling layer reduces a window (Keras's `pool_mode`).
enum class PoolMode { max, average };

/// Options of MaxPooling2D and AveragePooling2D, named and defaulted as Keras's arguments.
struct Pooling2DOptions {
  IntPair pool_size{2, 2};
  IntPair strides;                // not given: pool_size
  std::string padding = "valid";  // "valid" or "same", any case
  std::string
      data_format;  // "channels_last" or "channels_first"; empty: config::image_data_format()
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// What MaxPooling2D and AveragePooling2D share (Keras's `BasePooling`): windows of
/// `pool_size` moved by `strides` over the two spatial axes, on NHWC or NCHW data.
class BasePooling2D : public Layer {
 public:
  ~BasePooling2D() override;
  BasePooling2D(BasePooling2D&& other);

  [[nodiscard]] const std::array<int, 2>& pool_size() const noexcept { return pool_size_; }
  [[nodiscard]] const std::array<int, 2>& strides() const noexcept { return strides_; }
  /// "valid" or "same" (lower case).
  [[nodiscard]] const std::string& padding() const noexcept { return padding_; }
  [[nodiscard]] DataFormat data_format() const noexcept { return data_format_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 protected:
  BasePooling2D(std::string_view class_name, Pooling2DOptions options, PoolMode pool_mode);

 private:
  // Sequential's training backward runs a ReLU'd Conv2D's ReLU backward here (see
  // Sequential::backpropagate).
  friend class keras::Sequential;
  // call() with the input and output in the layout Sequential chose
  // (kernels/image_layout.h); backward takes and gives gradients in it.
  [[nodiscard]] Tensor call_in_layout(const Tensor& inputs, bool training,
                                      kernels::ImageLayout layout);
  /// backward() for inputs that are a ReLU's outputs, with ReLU's backward done first on the
  /// pooled gradient: where max pooling sends a gradient, ReLU's derivative is (pooled output
  /// > 0), so masking the pooled gradient gives the same result on a quarter of the elements
  /// (2x2 pools). Nothing when the last call was not a training call of max pooling.
  [[nodiscard]] std::optional<Tensor> backward_through_relu(const Tensor& grad_outputs);

  PoolMode pool_mode_;
  std::array<int, 2> pool_size_;
  std::array<int, 2> strides_;
  std::string padding_;
  DataFormat data_format_;
  std::unique_ptr<kernels::Pooling2DPlan> plan_;
  Tensor last_output_;                             // of the last training call
  std::unique_ptr<kernels::ActivationPlan> relu_;  // for backward_through_relu
};

/// Options of GlobalAveragePooling2D and GlobalMaxPooling2D, as Keras's arguments.
struct GlobalPooling2DOptions {
  std::string
      data_format;        // "channels_last" or "channels_first"; empty: config::image_data_format()
  bool keepdims = false;  // true: (batch, 1, 1, channels) or (batch, channels, 1, 1)
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// What the global pooling layers share (Keras's `BaseGlobalPooling`): one window over all
/// spatial positions, giving `(batch, channels)`.
class BaseGlobalPooling2D : public Layer {
 public:
  ~BaseGlobalPooling2D() override;
  BaseGlobalPooling2D(BaseGlobalPooling2D&& other);

  [[nodiscard]] DataFormat data_format() const noexcept { return data_format_; }
  [[nodiscard]] bool keepdims() const noexcept { return keepdims_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 protected:
  BaseGlobalPooling2D(std::string_view class_name, GlobalPooling2DOptions options,
                      PoolMode pool_mode);

 private:
  PoolMode pool_mode_;
  DataFormat data_format_;
  bool keepdims_;
  std::unique_ptr<kernels::Pooling2DPlan> plan_;
};

}  // namespace keras::layers
