// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"
#include "keras/shape.h"

// The shape rules of Keras 3's loss functions (its TensorFlow backend's checks and
// `squeeze_or_expand_to_same_rank`), with messages that name the loss.
namespace keras::losses::detail {

/// Throws Keras's "must be at least rank 1" ValueError for scalar predictions.
void check_rank_at_least_1(const Loss& loss, const Shape& y_pred);

/// `axis` counted from 0 (negative axes count from the end); throws ValueError naming the
/// loss and the shape when it is out of range.
[[nodiscard]] int normalize_axis(const Loss& loss, int axis, const Shape& y_pred);

/// True when each target goes with one prediction, in order: the same shape, or targets
/// (N,) for predictions (N, 1), which Keras expands to (N, 1).
[[nodiscard]] bool is_elementwise_target(const Shape& y_true, const Shape& y_pred);

/// Throws Keras's "must have the same rank (ndim)" or "same shape" ValueError, with `hint`
/// appended, unless is_elementwise_target().
void check_elementwise_target(const Loss& loss, const Shape& y_true, const Shape& y_pred,
                              std::string_view hint = {});

/// True when `y_true` holds one class label per sample of `y_pred` (whose last axis is the
/// class axis): y_pred's shape without that axis, or that with a trailing 1.
[[nodiscard]] bool is_label_target(const Shape& y_true, const Shape& y_pred);

}  // namespace keras::losses::detail
