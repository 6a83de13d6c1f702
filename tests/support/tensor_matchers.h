// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <gtest/gtest.h>

namespace keras::testing {

/// Same shape and dtype, and `|actual - expected| <= atol + rtol * |expected|` for every
/// element (the golden README's rule); atol = rtol = 0 asks for bit-exact values. The
/// failure message names the first offending element.
::testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected,
                                     double atol = 0.0, double rtol = 0.0);

}  // namespace keras::testing
