// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace keras::utils {

/// Makes every unseeded random choice of kerascpp (initial weights, and later dropout masks
/// and shuffles) repeatable (Python: `keras.utils.set_random_seed(seed)`).
void set_random_seed(std::uint64_t seed);

}  // namespace keras::utils
