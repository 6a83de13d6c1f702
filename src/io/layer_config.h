// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"

#include <memory>
#include <set>
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
  [[nodiscard]] const Json* find(std::string_view key);
  template <typename T>
  [[nodiscard]] T convert(std::string_view key, const Json& value) const {
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception&) {
      throw_wrong_type(key, value);
    }
  }
  [[noreturn]] void throw_wrong_type(std::string_view key, const Json& value) const;

  const Json& config_;
  std::string class_name_;
  std::set<std::string, std::less<>> used_;
};

/// The config keys every Keras 3 layer writes: name, trainable, dtype (a DTypePolicy).
[[nodiscard]] Json base_config(const layers::Layer& layer);
/// A shape as Keras writes it: a list with null for unknown axes.
[[nodiscard]] Json shape_json(const Shape& shape);

// Each layer's Keras config reader and writer, defined at the bottom of its source file
// and listed in the one table in layer_registry.cpp.
[[nodiscard]] std::unique_ptr<layers::Layer> flatten_from_config(ConfigReader& config);
[[nodiscard]] Json flatten_get_config(const layers::Flatten& layer);
[[nodiscard]] std::unique_ptr<layers::Layer> input_layer_from_config(ConfigReader& config);
[[nodiscard]] Json input_layer_get_config(const layers::InputLayer& layer);

}  // namespace keras::io
