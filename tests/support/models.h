// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

namespace keras::testing {

/// Keras's "mnist_convnet" example model (keras-spec.md 2.9), freshly initialised.
[[nodiscard]] Sequential mnist_convnet();

}  // namespace keras::testing
