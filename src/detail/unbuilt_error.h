// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/error.h"

#include <string_view>

namespace keras::detail {

/// Keras's error for `count_params()` on a layer or model that is not built yet.
[[nodiscard]] ValueError count_params_unbuilt_error(std::string_view name);

/// The error for a layer's `backward` before any call: there is nothing to differentiate.
[[nodiscard]] ValueError backward_before_call_error(std::string_view layer);

}  // namespace keras::detail
