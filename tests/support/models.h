// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

#include <string>

namespace keras::testing {

/// Keras's "mnist_convnet" example model (keras-spec.md 2.9), freshly initialised.
[[nodiscard]] Sequential mnist_convnet();

/// What `model.summary()` prints at `line_length` columns.
[[nodiscard]] std::string summary_text(const Sequential& model, int line_length);

}  // namespace keras::testing
