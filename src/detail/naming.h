// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace keras::detail {

/// Keras's `to_snake_case`: "MaxPooling2D" -> "max_pooling2d", "InputLayer" -> "input_layer".
[[nodiscard]] std::string to_snake_case(std::string_view class_name);

/// Keras's process-wide automatic names: `prefix`, then `prefix_1`, `prefix_2`, ...
[[nodiscard]] std::string unique_object_name(std::string_view prefix);

/// Forgets every name handed out (Keras's `clear_session`).
void reset_object_names();

}  // namespace keras::detail
