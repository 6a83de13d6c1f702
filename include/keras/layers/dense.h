// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/initializers.h"
#include "keras/layers/layer.h"

#include <cstdint>
#include <memory>
#include <string>

namespace keras::kernels {
class InnerProductPlan;
struct ActivationSpec;
enum class InputGradient;
}  // namespace keras::kernels

namespace keras::detail {
class ActivationState;
}

namespace keras::layers {

/// Options of Dense, named and defaulted as Keras's arguments.
struct DenseOptions {
  std::int64_t units = 0;
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
  OptionalShape input_shape;
};

/// `output = activation(inputs · kernel + bias)` on the last axis: kernel (in, units), as
/// Keras stores it; an input of rank > 2 gets the same kernel at every position.
///
///     model.add(keras::layers::Dense({.units = 10, .activation = "softmax"}));
///
/// Keras: https://keras.io/api/layers/core_layers/dense/
class Dense final : public Layer {
 public:
  explicit Dense(DenseOptions options);
  ~Dense() override;
  Dense(Dense&&) noexcept;

  [[nodiscard]] std::string_view class_name() const override { return "Dense"; }
  [[nodiscard]] const DenseOptions& options() const noexcept { return options_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  void build(const Shape& input_shape) override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;
  void backward_weights(const Tensor& grad_outputs) override;

 private:
  Tensor backpropagate(const Tensor& grad_outputs, kernels::InputGradient input_gradient);
  [[nodiscard]] kernels::InnerProductPlan& plan_for(std::int64_t rows);

  DenseOptions options_;
  std::unique_ptr<kernels::ActivationSpec> activation_;
  Variable* kernel_ = nullptr;
  Variable* bias_ = nullptr;
  std::unique_ptr<kernels::InnerProductPlan> plan_;  // keeps what its backward reads
  // For an activation the plan does not apply (softmax, ...): what its backward reads.
  std::unique_ptr<detail::ActivationState> activation_state_;
  std::vector<std::int64_t> last_input_shape_;
};

}  // namespace keras::layers
