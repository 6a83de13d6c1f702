// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/batch_normalization.h"

#include "io/initializer_config.h"
#include "io/layer_config.h"
#include "kernels/batch_normalization.h"

#include <fmt/format.h>

namespace keras::layers {

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : Layer("BatchNormalization", {std::move(options.name), options.trainable,
                                   std::move(options.dtype), std::move(options.input_shape)}),
      options_(std::move(options)),
      plan_(std::make_unique<kernels::BatchNormalizationPlan>(name(), options_.epsilon,
                                                              options_.scale, options_.center)) {}

BatchNormalization::~BatchNormalization() = default;
BatchNormalization::BatchNormalization(BatchNormalization&&) noexcept = default;

Shape BatchNormalization::compute_output_shape(const Shape& input_shape) const {
  const int rank = input_shape.rank();
  const int axis = options_.axis;
  // Keras 3 indexes the shape with the axis and fails with Python's IndexError; we say why.
  if (axis < -rank || axis >= rank) {
    throw ValueError(fmt::format(
        "Layer \"{}\": axis {} is out of bounds for an input of rank {}. Received input shape: {}",
        name(), axis, rank, input_shape.to_string()));
  }
  if (!input_shape[axis < 0 ? axis + rank : axis]) {
    throw ValueError(fmt::format(
        "Input 0 of layer \"{}\" is incompatible with the layer: axis {} of the input must be "
        "known to size the weights. Full shape received: {}",
        name(), axis, input_shape.to_string()));
  }
  return input_shape;
}

void BatchNormalization::build(const Shape& input_shape) {
  (void)compute_output_shape(input_shape);
  const int rank = input_shape.rank();
  const std::int64_t channels =
      *input_shape[options_.axis < 0 ? options_.axis + rank : options_.axis];
  // Keras's creation order, which is also its saving order: gamma, beta, moving statistics.
  if (options_.scale) {
    gamma_ = &add_weight("gamma", options_.gamma_initializer({channels}), true);
  }
  if (options_.center) {
    beta_ = &add_weight("beta", options_.beta_initializer({channels}), true);
  }
  moving_mean_ = &add_weight("moving_mean", options_.moving_mean_initializer({channels}), false);
  moving_variance_ =
      &add_weight("moving_variance", options_.moving_variance_initializer({channels}), false);
  // As Keras: once built, the rank and the channel axis are fixed.
  set_input_spec(InputSpec{.ndim = rank, .axes = {{options_.axis, channels}}});
  Layer::build(input_shape);
}

Tensor BatchNormalization::call(const Tensor& inputs, bool training) {
  const int axis = options_.axis < 0 ? options_.axis + inputs.rank() : options_.axis;
  const Tensor& gamma = gamma_ ? gamma_->value() : no_parameter_;
  const Tensor& beta = beta_ ? beta_->value() : no_parameter_;
  // Keras: a non-trainable BatchNormalization runs in inference mode, even with training=True.
  if (training && trainable()) {
    Tensor outputs = plan_->forward_training(inputs, axis, gamma, beta);
    plan_->update_moving_statistics(moving_mean_->value(), moving_variance_->value(),
                                    options_.momentum);
    return outputs;
  }
  return plan_->forward_inference(inputs, axis, gamma, beta, moving_mean_->value(),
                                  moving_variance_->value());
}

Tensor BatchNormalization::backward(const Tensor& grad_outputs) {
  const Tensor& gamma = gamma_ ? gamma_->value() : no_parameter_;
  const Tensor& beta = beta_ ? beta_->value() : no_parameter_;
  Tensor& grad_gamma = gamma_ ? gamma_->gradient() : no_parameter_;
  Tensor& grad_beta = beta_ ? beta_->gradient() : no_parameter_;
  return plan_->backward(grad_outputs, gamma, beta, grad_gamma, grad_beta);
}

}  // namespace keras::layers

namespace keras::io {
namespace {

// Keras 2 writes `axis` as a list (`[3]`); a single axis is all we take. `several` is set
// for any other list, which the caller reports once the layer has its name.
int read_axis(ConfigReader& config, Json& listed, bool& several) {
  listed = config.get<Json>("axis", nullptr);
  several = listed.is_array() && (listed.size() != 1 || !listed[0].is_number_integer());
  if (listed.is_array()) return several ? -1 : listed[0].get<int>();
  return config.get<int>("axis", -1);
}

void reject_unsupported(ConfigReader& config, const layers::BatchNormalization& layer) {
  // Keras 3 keys, then Keras 2's (tf.keras writes renorm settings only when renorm is on).
  for (const char* key : {"beta_regularizer", "gamma_regularizer", "beta_constraint",
                          "gamma_constraint", "virtual_batch_size", "adjustment"}) {
    if (!config.get<Json>(key, nullptr).is_null()) {
      throw NotImplementedError(
          fmt::format("BatchNormalization '{}': `{}` is not supported", layer.name(), key));
    }
  }
  for (const char* key : {"synchronized", "renorm"}) {
    if (config.get<bool>(key, false)) {
      throw NotImplementedError(
          fmt::format("BatchNormalization '{}': `{}=True` is not supported", layer.name(), key));
    }
  }
  // Meaningful only with renorm, or a TensorFlow implementation choice.
  for (const char* key : {"renorm_clipping", "renorm_momentum", "fused"}) {
    (void)config.get<Json>(key, nullptr);
  }
}

}  // namespace

std::unique_ptr<layers::Layer> batch_normalization_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  Json axis;
  bool several_axes = false;
  layers::BatchNormalizationOptions options{
      .axis = read_axis(config, axis, several_axes),
      .momentum = config.get<double>("momentum", 0.99),
      .epsilon = config.get<double>("epsilon", 1e-3),
      .center = config.get<bool>("center", true),
      .scale = config.get<bool>("scale", true),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  };
  const auto initializer = [&](const char* key, initializers::Initializer& target) {
    if (auto value = config.get<Json>(key, nullptr); !value.is_null()) {
      target = initializer_from_config(value);
    }
  };
  initializer("beta_initializer", options.beta_initializer);
  initializer("gamma_initializer", options.gamma_initializer);
  initializer("moving_mean_initializer", options.moving_mean_initializer);
  initializer("moving_variance_initializer", options.moving_variance_initializer);
  auto layer = std::make_unique<layers::BatchNormalization>(std::move(options));
  if (several_axes) {
    throw NotImplementedError(
        fmt::format("BatchNormalization '{}': only a single `axis` is supported. Received: axis={}",
                    layer->name(), axis.dump()));
  }
  reject_unsupported(config, *layer);
  return layer;
}

Json batch_normalization_get_config(const layers::BatchNormalization& layer) {
  const layers::BatchNormalizationOptions& options = layer.options();
  Json config = base_config(layer);
  config["axis"] = options.axis;
  config["momentum"] = options.momentum;
  config["epsilon"] = options.epsilon;
  config["center"] = options.center;
  config["scale"] = options.scale;
  config["beta_initializer"] = initializer_config(options.beta_initializer);
  config["gamma_initializer"] = initializer_config(options.gamma_initializer);
  config["moving_mean_initializer"] = initializer_config(options.moving_mean_initializer);
  config["moving_variance_initializer"] = initializer_config(options.moving_variance_initializer);
  for (const char* absent :
       {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}) {
    config[absent] = nullptr;
  }
  config["synchronized"] = false;
  return config;
}

}  // namespace keras::io
