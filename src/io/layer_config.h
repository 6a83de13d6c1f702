// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/initializer_config.h"
#include "io/json.h"
#include "io/key_tracking_reader.h"
#include "keras/layers/activation.h"
#include "keras/layers/average_pooling2d.h"
#include "keras/layers/batch_normalization.h"
#include "keras/layers/conv2d.h"
#include "keras/layers/cropping2d.h"
#include "keras/layers/dense.h"
#include "keras/layers/dropout.h"
#include "keras/layers/flatten.h"
#include "keras/layers/global_average_pooling2d.h"
#include "keras/layers/global_max_pooling2d.h"
#include "keras/layers/input_layer.h"
#include "keras/layers/leaky_relu.h"
#include "keras/layers/max_pooling2d.h"
#include "keras/layers/permute.h"
#include "keras/layers/relu.h"
#include "keras/layers/reshape.h"
#include "keras/layers/softmax.h"
#include "keras/layers/zero_padding2d.h"

#include <memory>
#include <string>
#include <string_view>

namespace keras::io {

/// Reads one Keras layer config, remembering which keys were used, so that a key no
/// layer knows is reported by name, as Keras's "Unrecognized keyword arguments".
class ConfigReader {
 public:
  ConfigReader(const Json& config, std::string_view class_name);

  /// The value of `key`, or `fallback` when it is absent or null.
  template <typename T>
  [[nodiscard]] T get(std::string_view key, T fallback) {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    return convert<T>(key, *value);
  }
  /// An optional shape such as `[null, 28, 28, 1]`.
  [[nodiscard]] std::optional<Shape> shape(std::string_view key);
  /// The keyword arguments every layer takes: name, trainable, dtype, input_shape.
  [[nodiscard]] layers::LayerArgs layer_args();
  /// Throws ValueError naming every key that was never read.
  void finish() const;

 private:
  [[nodiscard]] const Json* find(std::string_view key) { return keys_.find(key); }
  template <typename T>
  [[nodiscard]] T convert(std::string_view key, const Json& value) const {
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception&) {
      throw_wrong_type(key, value);
    }
  }
  [[noreturn]] void throw_wrong_type(std::string_view key, const Json& value) const;

  KeyTrackingReader keys_;
  std::string class_name_;
};

/// The config keys every Keras 3 layer writes: name, trainable, dtype (a DTypePolicy).
[[nodiscard]] Json base_config(const layers::Layer& layer);
/// A config value as JSON text (what Dense and Conv2D keep of regularizers and
/// constraints); null gives the empty text.
[[nodiscard]] std::string read_json_text(ConfigReader& config, std::string_view key);
/// The JSON of such a text; the empty text gives null.
[[nodiscard]] Json json_of_text(const std::string& text);

/// Reads the kernel and bias initializers of Dense's and Conv2D's options (absent or null:
/// the options' defaults).
template <typename Options>
void read_kernel_and_bias_initializers(ConfigReader& config, Options& options) {
  if (const auto kernel = config.get<Json>("kernel_initializer", nullptr); !kernel.is_null()) {
    options.kernel_initializer = initializer_from_config(kernel);
  }
  if (const auto bias = config.get<Json>("bias_initializer", nullptr); !bias.is_null()) {
    options.bias_initializer = initializer_from_config(bias);
  }
}

/// Reads the regularizers and constraints of Dense's and Conv2D's options.
template <typename Options>
void read_weight_penalties(ConfigReader& config, Options& options) {
  options.kernel_regularizer = read_json_text(config, "kernel_regularizer");
  options.bias_regularizer = read_json_text(config, "bias_regularizer");
  options.activity_regularizer = read_json_text(config, "activity_regularizer");
  options.kernel_constraint = read_json_text(config, "kernel_constraint");
  options.bias_constraint = read_json_text(config, "bias_constraint");
}

/// Writes them in Keras's order; `activity_regularizer` only `with_activity` or when set
/// (Keras 3's Dense leaves it out, its Conv2D writes it).
template <typename Options>
void write_weight_penalties(Json& config, const Options& options, bool with_activity) {
  config["kernel_regularizer"] = json_of_text(options.kernel_regularizer);
  config["bias_regularizer"] = json_of_text(options.bias_regularizer);
  if (with_activity || !options.activity_regularizer.empty()) {
    config["activity_regularizer"] = json_of_text(options.activity_regularizer);
  }
  config["kernel_constraint"] = json_of_text(options.kernel_constraint);
  config["bias_constraint"] = json_of_text(options.bias_constraint);
}

/// A shape as Keras writes it: a list with null for unknown axes.
[[nodiscard]] Json shape_json(const Shape& shape);

// Each layer's Keras config reader and writer, defined at the bottom of its source file
// and listed in the one table in layer_registry.cpp.
[[nodiscard]] std::unique_ptr<layers::Layer> dense_from_config(ConfigReader& config);
[[nodiscard]] Json dense_get_config(const layers::Dense& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> dropout_from_config(ConfigReader& config);
[[nodiscard]] Json dropout_get_config(const layers::Dropout& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> batch_normalization_from_config(ConfigReader& config);
[[nodiscard]] Json batch_normalization_get_config(const layers::BatchNormalization& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> flatten_from_config(ConfigReader& config);
[[nodiscard]] Json flatten_get_config(const layers::Flatten& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> activation_from_config(ConfigReader& config);
[[nodiscard]] Json activation_get_config(const layers::Activation& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> relu_from_config(ConfigReader& config);
[[nodiscard]] Json relu_get_config(const layers::ReLU& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> leaky_relu_from_config(ConfigReader& config);
[[nodiscard]] Json leaky_relu_get_config(const layers::LeakyReLU& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> softmax_from_config(ConfigReader& config);
[[nodiscard]] Json softmax_get_config(const layers::Softmax& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> max_pooling2d_from_config(ConfigReader& config);
[[nodiscard]] Json max_pooling2d_get_config(const layers::MaxPooling2D& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> average_pooling2d_from_config(ConfigReader& config);
[[nodiscard]] Json average_pooling2d_get_config(const layers::AveragePooling2D& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> global_average_pooling2d_from_config(
    ConfigReader& config);
[[nodiscard]] Json global_average_pooling2d_get_config(const layers::GlobalAveragePooling2D& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> global_max_pooling2d_from_config(ConfigReader& config);
[[nodiscard]] Json global_max_pooling2d_get_config(const layers::GlobalMaxPooling2D& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> input_layer_from_config(ConfigReader& config);
[[nodiscard]] Json input_layer_get_config(const layers::InputLayer& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> reshape_from_config(ConfigReader& config);
[[nodiscard]] Json reshape_get_config(const layers::Reshape& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> permute_from_config(ConfigReader& config);
[[nodiscard]] Json permute_get_config(const layers::Permute& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> zero_padding2d_from_config(ConfigReader& config);
[[nodiscard]] Json zero_padding2d_get_config(const layers::ZeroPadding2D& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> cropping2d_from_config(ConfigReader& config);
[[nodiscard]] Json cropping2d_get_config(const layers::Cropping2D& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> conv2d_from_config(ConfigReader& config);
[[nodiscard]] Json conv2d_get_config(const layers::Conv2D& layer);

}  // namespace keras::io
