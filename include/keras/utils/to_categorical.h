// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <optional>

namespace keras::utils {

/// One-hot encodes class labels (Python: `keras.utils.to_categorical(y, num_classes)`): a
/// float32 tensor of y's shape plus a last axis of `num_classes`, 1 at each label's class and
/// 0 elsewhere. A trailing axis of size 1 is dropped first, as in Keras, so (N, 1) labels give
/// (N, num_classes). `y` may have any dtype whose values are whole numbers.
///
///     auto y_train_one_hot = keras::utils::to_categorical(y_train, 10);   // (N,) -> (N, 10)
///
/// `num_classes` defaults to the largest label plus one. Throws ValueError naming the label and
/// its position when a label is negative, not a whole number, or not below num_classes (Keras
/// wraps negative labels around; kerascpp refuses them).
///
/// Keras: https://keras.io/api/utils/python_utils/#tocategorical-function
[[nodiscard]] Tensor to_categorical(const Tensor& y,
                                    std::optional<std::int64_t> num_classes = std::nullopt);

}  // namespace keras::utils
