// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/initializers.h"
#include "keras/layers/layer.h"

#include <memory>
#include <string>

namespace keras::kernels {
class BatchNormalizationPlan;
}

namespace keras::layers {

/// Options of BatchNormalization, named and defaulted as Keras's arguments (regularizers,
/// constraints and `synchronized` are not supported).
struct BatchNormalizationOptions {
  int axis = -1;  // the channel axis, kept per channel; negative counts from the end
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;  // a trainable `beta`
  bool scale = true;   // a trainable `gamma`
  initializers::Initializer beta_initializer = "zeros";
  initializers::Initializer gamma_initializer = "ones";
  initializers::Initializer moving_mean_initializer = "zeros";
  initializers::Initializer moving_variance_initializer = "ones";
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;
};

/// `gamma · (x − mean) / sqrt(variance + epsilon) + beta` per channel. With `training` (and a
/// trainable layer) the batch mean and biased variance over every axis but `axis`, which also
/// move the moving statistics by `1 − momentum`; otherwise the moving statistics.
///
///     model.add(keras::layers::BatchNormalization());  // channels_last images: axis -1
///
/// Keras: https://keras.io/api/layers/normalization_layers/batch_normalization/
class BatchNormalization final : public Layer {
 public:
  explicit BatchNormalization(BatchNormalizationOptions options = {});
  ~BatchNormalization() override;
  BatchNormalization(BatchNormalization&&) noexcept;

  [[nodiscard]] std::string_view class_name() const override { return "BatchNormalization"; }
  [[nodiscard]] const BatchNormalizationOptions& options() const noexcept { return options_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  void build(const Shape& input_shape) override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  BatchNormalizationOptions options_;
  Variable* gamma_ = nullptr;
  Variable* beta_ = nullptr;
  Variable* moving_mean_ = nullptr;
  Variable* moving_variance_ = nullptr;
  std::unique_ptr<kernels::BatchNormalizationPlan> plan_;
  Tensor no_parameter_;  // stands in for an absent gamma or beta
};

}  // namespace keras::layers
