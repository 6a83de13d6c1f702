// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace keras::detail {

/// The next seed of the process's stream: fixed by utils::set_random_seed, otherwise
/// started from std::random_device, so unseeded runs differ as they do in Keras.
[[nodiscard]] std::uint64_t next_seed();

}  // namespace keras::detail
