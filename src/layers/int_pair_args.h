// SPDX-License-Identifier: Apache-2.0
// Keras's rules for "int or tuple of 2 ints" arguments (kernel_size, strides, dilation_rate),
// for layers and for their configs.
#pragma once

#include "io/layer_config.h"
#include "keras/layers/int_pair.h"

#include <array>
#include <string>
#include <string_view>

namespace keras::layers {

/// Python's repr of the argument as given: `2` or `(2, 3)`.
[[nodiscard]] std::string int_pair_repr(const IntPair& pair);

/// Keras's `standardize_tuple(value, 2, name)`: both values must be positive, else ValueError
/// "The `{name}` argument must be a tuple of 2 integers. Received {name}={value}, including
/// values {{bad}} that do not satisfy `value > 0`".
[[nodiscard]] std::array<int, 2> standardize_int_pair(const IntPair& pair, std::string_view name);

}  // namespace keras::layers

namespace keras::io {

/// An int pair as Keras writes it (a list) or as a user may (one int); `fallback` when the
/// key is absent or null. Throws ValueError naming the class and key for anything else.
[[nodiscard]] layers::IntPair int_pair_from_config(ConfigReader& config, std::string_view key,
                                                   std::string_view class_name,
                                                   layers::IntPair fallback);

}  // namespace keras::io
