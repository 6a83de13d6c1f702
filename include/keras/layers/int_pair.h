// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <optional>

namespace keras::layers {

/// Keras's "int or tuple of 2 ints" argument (pool_size, strides, kernel_size, dilation_rate):
///
///     .pool_size = 2        // (2, 2)
///     .pool_size = {2, 3}   // (rows, cols)
///     .strides = {}         // None: not given
class IntPair {
 public:
  IntPair() = default;
  IntPair(int both) : values_{{both, both}}, single_int_(true) {}  // NOLINT: reads like Python
  IntPair(int first, int second) : values_{{first, second}} {}

  [[nodiscard]] bool has_value() const noexcept { return values_.has_value(); }
  /// The two values; only when has_value().
  [[nodiscard]] const std::array<int, 2>& values() const { return values_.value(); }
  /// True when given as one int (messages quote it as given, as Keras does).
  [[nodiscard]] bool single_int() const noexcept { return single_int_; }

 private:
  std::optional<std::array<int, 2>> values_;
  bool single_int_ = false;
};

}  // namespace keras::layers
