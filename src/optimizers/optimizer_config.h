// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"
#include "io/key_tracking_reader.h"
#include "keras/optimizers/optimizer.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keras::optimizers {

/// Reads one optimizer's Keras config, remembering which keys were read, so that a key no
/// optimizer knows is reported by name (Keras's "Argument(s) not recognized"), and which
/// Keras features it sets that kerascpp does not implement.
class OptimizerConfigReader {
 public:
  OptimizerConfigReader(const io::Json& config, std::string class_name);

  /// The value of `key`, or `fallback` when it is absent (or null, for the non-optional).
  [[nodiscard]] double number(std::string_view key, double fallback);
  [[nodiscard]] std::optional<double> optional_number(std::string_view key,
                                                      std::optional<double> fallback);
  [[nodiscard]] bool boolean(std::string_view key, bool fallback);
  [[nodiscard]] std::string string(std::string_view key, std::string fallback);
  /// `learning_rate`: a float; a schedule (a serialised object) is not implemented.
  [[nodiscard]] double learning_rate(double fallback);
  /// Reads the base optimizer's keys kerascpp has no option for (use_ema, ema_momentum,
  /// ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, and the
  /// `decay` Keras 3 ignores), noting those set to something other than their default.
  void read_unsupported_base_keys();
  /// Notes a feature kerascpp does not implement, as `key=value` in Python's words.
  void unsupported(std::string feature) { unsupported_.push_back(std::move(feature)); }
  /// Throws ValueError naming every key never read, then NotImplementedError naming every
  /// unsupported feature, for the optimizer called `name`.
  void finish(std::string_view name) const;

 private:
  [[nodiscard]] const io::Json* find(std::string_view key) { return keys_.find(key); }
  [[noreturn]] void throw_wrong_type(std::string_view key, const io::Json& value) const;

  io::KeyTrackingReader keys_;
  std::string class_name_;
  std::vector<std::string> unsupported_;
};

/// Reads the arguments every optimizer's options aggregate repeats.
template <typename Options>
void read_base_options(OptimizerConfigReader& config, Options& options) {
  options.name = config.string("name", options.name);
  options.learning_rate = config.learning_rate(options.learning_rate);
  options.weight_decay = config.optional_number("weight_decay", options.weight_decay);
  options.clipnorm = config.optional_number("clipnorm", options.clipnorm);
  options.global_clipnorm = config.optional_number("global_clipnorm", options.global_clipnorm);
  options.clipvalue = config.optional_number("clipvalue", options.clipvalue);
  config.read_unsupported_base_keys();
}

/// Reads the options Adam and AdamW share (their base options, betas and epsilon), then
/// finishes the config: AdamW adds nothing Adam's config lacks.
template <typename Options>
[[nodiscard]] Options read_adam_options(OptimizerConfigReader& config) {
  Options options;
  read_base_options(config, options);
  options.beta_1 = config.number("beta_1", options.beta_1);
  options.beta_2 = config.number("beta_2", options.beta_2);
  options.epsilon = config.number("epsilon", options.epsilon);
  if (config.boolean("amsgrad", false)) config.unsupported("amsgrad=True");
  config.finish(options.name);
  return options;
}

/// The keys every Keras 3 optimizer config starts with, in Keras's order (base_optimizer.py
/// `get_config`); the features kerascpp lacks have their Keras defaults.
[[nodiscard]] io::Json base_config(std::string_view name, double learning_rate,
                                   const CommonOptions& common);

/// An optional float as Python prints it in Keras's messages: `1.0`, `1e-07` or `None`.
[[nodiscard]] std::string python_optional_float(const std::optional<double>& value);

// Each optimizer's config reader, defined at the bottom of its source file and listed in the
// one table in optimizer.cpp.
[[nodiscard]] std::shared_ptr<Optimizer> sgd_from_config(OptimizerConfigReader& config);
[[nodiscard]] std::shared_ptr<Optimizer> adam_from_config(OptimizerConfigReader& config);
[[nodiscard]] std::shared_ptr<Optimizer> adamw_from_config(OptimizerConfigReader& config);
[[nodiscard]] std::shared_ptr<Optimizer> rmsprop_from_config(OptimizerConfigReader& config);

}  // namespace keras::optimizers
