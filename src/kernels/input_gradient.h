// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace keras::kernels {

/// Whether a backward computes dL/dsrc. The first trainable layer of a model in training needs
/// only its weight gradients, and its backward-data primitive is most of its backward (the
/// first Conv2D of mnist_convnet: 9 of 12 ms per batch on one core).
enum class InputGradient { compute, skip };

}  // namespace keras::kernels
