// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keras::initializers {

/// A Keras weight initializer: its kind and arguments. A Keras identifier converts
/// implicitly, so options read like Python (`.kernel_initializer = "he_normal"`); the
/// factories give the arguments (`Initializer::random_normal(0.0, 0.1, /*seed=*/7)`).
/// Unseeded initializers draw from keras::utils::set_random_seed's stream.
///
/// Keras: https://keras.io/api/layers/initializers/
class Initializer {
 public:
  enum class Kind {
    zeros,
    ones,
    constant,
    random_uniform,
    random_normal,
    truncated_normal,
    variance_scaling
  };
  enum class FanMode { fan_in, fan_out, fan_avg };
  enum class Distribution { uniform, truncated_normal, untruncated_normal };

  /// A Keras identifier: "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
  /// "lecun_uniform", "lecun_normal", "zeros", "ones", "random_uniform", "random_normal",
  /// "truncated_normal"; throws ValueError for anything else.
  Initializer(const char* identifier);  // NOLINT: implicit, as Keras takes strings
  Initializer(std::string_view identifier);

  [[nodiscard]] static Initializer constant(double value);
  [[nodiscard]] static Initializer random_uniform(double minval = -0.05, double maxval = 0.05,
                                                  std::optional<std::uint64_t> seed = {});
  [[nodiscard]] static Initializer random_normal(double mean = 0.0, double stddev = 0.05,
                                                 std::optional<std::uint64_t> seed = {});
  [[nodiscard]] static Initializer truncated_normal(double mean = 0.0, double stddev = 0.05,
                                                    std::optional<std::uint64_t> seed = {});
  [[nodiscard]] static Initializer variance_scaling(double scale, FanMode mode,
                                                    Distribution distribution,
                                                    std::optional<std::uint64_t> seed = {});
  /// The same initializer with a fixed seed.
  [[nodiscard]] Initializer with_seed(std::uint64_t seed) const;

  /// A new float32 tensor of `shape` (Keras layouts: Dense (in, out), Conv2D HWIO).
  [[nodiscard]] Tensor operator()(const std::vector<std::int64_t>& shape) const;

  /// Keras's class name, e.g. "GlorotUniform" (what configs store).
  [[nodiscard]] const std::string& class_name() const noexcept { return class_name_; }
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] double scale() const noexcept { return scale_; }
  [[nodiscard]] FanMode mode() const noexcept { return mode_; }
  [[nodiscard]] Distribution distribution() const noexcept { return distribution_; }
  [[nodiscard]] double mean() const noexcept { return a_; }    // also minval, value
  [[nodiscard]] double stddev() const noexcept { return b_; }  // also maxval
  [[nodiscard]] double minval() const noexcept { return a_; }
  [[nodiscard]] double maxval() const noexcept { return b_; }
  [[nodiscard]] double value() const noexcept { return a_; }
  [[nodiscard]] const std::optional<std::uint64_t>& seed() const noexcept { return seed_; }

 private:
  Initializer(std::string class_name, Kind kind);

  std::string class_name_;
  Kind kind_;
  double a_ = 0.0;
  double b_ = 0.0;
  double scale_ = 1.0;
  FanMode mode_ = FanMode::fan_in;
  Distribution distribution_ = Distribution::uniform;
  std::optional<std::uint64_t> seed_;
};

/// Keras's `compute_fans`: (fan_in, fan_out) of a weight shape; for kernels of rank >= 3
/// the leading axes are the receptive field (HWIO).
[[nodiscard]] std::pair<double, double> compute_fans(const std::vector<std::int64_t>& shape);

}  // namespace keras::initializers
