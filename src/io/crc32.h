// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace keras::io {

/// The CRC-32 of `bytes` (zip's and zlib's), computed in one piece per thread on oneDNN's
/// threads when there is enough to share, and combined: a large member checks in a fraction
/// of one core's time.
[[nodiscard]] std::uint32_t crc32(std::span<const std::byte> bytes);

}  // namespace keras::io
