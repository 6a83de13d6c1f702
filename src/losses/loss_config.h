// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "io/key_tracking_reader.h"
#include "keras/losses/loss.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace keras::losses::detail {

/// Reads one loss config (`cls(**config)` in Keras), remembering the keys it read, so that a
/// key no loss knows is reported by name, as Python reports an unexpected keyword.
class LossConfig {
 public:
  LossConfig(const io::Json& config, std::string_view class_name);

  /// The value of `key`, or `fallback` when it is absent or null.
  template <typename T>
  [[nodiscard]] T get(std::string_view key, T fallback) {
    const io::Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    try {
      return value->get<T>();
    } catch (const nlohmann::json::exception&) {
      throw_invalid_value(key, *value);
    }
  }
  /// `reduction`: absent gives Keras's default, null Keras's None (which kerascpp refuses).
  [[nodiscard]] std::string reduction();
  /// An optional integer such as `ignore_class`.
  [[nodiscard]] std::optional<int> optional_int(std::string_view key);
  /// Throws ValueError naming every key that was never read; accepts the keys Keras writes
  /// that carry nothing here (`dtype` when float32, `fn`).
  void finish();

 private:
  [[nodiscard]] const io::Json* find(std::string_view key) { return keys_.find(key); }
  [[noreturn]] void throw_invalid_value(std::string_view key, const io::Json& value) const;

  io::KeyTrackingReader keys_;
  std::string class_name_;
};

/// The keys of Keras 3's `Loss.get_config()`: name, reduction.
[[nodiscard]] io::Json base_config(const Loss& loss);

/// The config of BinaryCrossentropy and CategoricalCrossentropy, which take the same
/// options: the base keys, then from_logits, label_smoothing, axis (Keras's order).
template <typename CrossEntropy>
[[nodiscard]] io::Json cross_entropy_config(const CrossEntropy& loss) {
  io::Json config = base_config(loss);
  config["from_logits"] = loss.options().from_logits;
  config["label_smoothing"] = loss.options().label_smoothing;
  config["axis"] = loss.options().axis;
  return config;
}

/// Reads those options back; an absent `name` gives `default_name`.
template <typename CrossEntropy, typename Options>
[[nodiscard]] std::shared_ptr<Loss> cross_entropy_from_config(LossConfig& config,
                                                              std::string default_name) {
  return std::make_shared<CrossEntropy>(Options{
      .from_logits = config.get<bool>("from_logits", false),
      .label_smoothing = config.get<double>("label_smoothing", 0.0),
      .axis = config.get<int>("axis", -1),
      .reduction = config.reduction(),
      .name = config.get<std::string>("name", std::move(default_name)),
  });
}

// Each loss's config reader, defined at the bottom of its source file and listed in the
// class table in loss.cpp.
[[nodiscard]] std::shared_ptr<Loss> categorical_crossentropy_from_config(LossConfig& config);
[[nodiscard]] std::shared_ptr<Loss> sparse_categorical_crossentropy_from_config(LossConfig& config);
[[nodiscard]] std::shared_ptr<Loss> binary_crossentropy_from_config(LossConfig& config);
[[nodiscard]] std::shared_ptr<Loss> mean_squared_error_from_config(LossConfig& config);
[[nodiscard]] std::shared_ptr<Loss> mean_absolute_error_from_config(LossConfig& config);

}  // namespace keras::losses::detail
