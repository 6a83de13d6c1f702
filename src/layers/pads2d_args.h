// SPDX-License-Identifier: Apache-2.0
// The rules ZeroPadding2D and Cropping2D share for their `padding` / `cropping` argument.
#pragma once

#include "io/json.h"
#include "keras/layers/pads2d.h"
#include "keras/tensor.h"

#include <string>
#include <string_view>
#include <vector>

namespace keras::layers {

/// Throws ValueError, worded as Keras's constructors and `standardize_tuple`, when a side is
/// negative; `argument` is "padding" or "cropping".
void check_pads(const Pads2D& pads, std::string_view argument);

/// The standardised tuple as Python prints it: `((top, bottom), (left, right))`.
[[nodiscard]] std::string pads_repr(const Pads2D& pads);

/// Throws ValueError naming `layer` unless there was a call and `grad_outputs` has the
/// shape that call returned (the pooling layers' words).
void check_grad_outputs(std::string_view layer, const std::vector<std::int64_t>& last_output_shape,
                        const Tensor& grad_outputs);

}  // namespace keras::layers

namespace keras::io {

/// Reads Keras's `padding` / `cropping` config value: an int, `[h, w]` or
/// `[[top, bottom], [left, right]]` (entries may mix the two forms, as Keras allows).
[[nodiscard]] layers::Pads2D pads_from_json(const Json& value, std::string_view argument);

/// Writes it as Keras 3 does: `[[top, bottom], [left, right]]`.
[[nodiscard]] Json pads_json(const layers::Pads2D& pads);

}  // namespace keras::io
