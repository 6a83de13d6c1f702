// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "keras/sequential.h"

namespace keras::models {

/// The same model for images in the other layout: every Conv2D, pooling, padding, cropping
/// and Flatten layer gets `data_format`, BatchNormalization's channel axis and the input
/// shape follow, and the rows of the Dense kernel after a Flatten are permuted wherever the
/// old model flattened in another order, so that predictions on transposed inputs are the
/// same. This also repairs the most common porting bug: a channels_first network whose
/// Flatten was left channels_last (flattening in (c, h, w) order).
/// Throws ValueError for an unbuilt model and NotImplementedError for a layer whose
/// layout cannot be changed (Reshape, Permute or Dense on images), naming it.
[[nodiscard]] Sequential convert_data_format(const Sequential& model, DataFormat target);

}  // namespace keras::models
