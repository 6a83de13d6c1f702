// SPDX-License-Identifier: Apache-2.0
#include "io/crc32.h"

#include "kernels/openmp.h"

#include <algorithm>
#include <libdeflate.h>
#include <vector>
#include <zlib.h>

namespace keras::io {
namespace {

// Below this much per thread, waking another thread costs more than it saves.
constexpr std::size_t bytes_per_thread = std::size_t{4} << 20;

// libdeflate's CRC-32 folds 64 bytes at a time with carry-less multiplies (14 GB/s here, zlib's
// 4 GB/s); zlib combines the pieces.
uLong crc32_of(std::span<const std::byte> bytes) {
  return libdeflate_crc32(0, bytes.data(), bytes.size());
}

}  // namespace

std::uint32_t crc32(std::span<const std::byte> bytes) {
  const auto threads = static_cast<int>(
      std::clamp<std::size_t>(bytes.size() / bytes_per_thread, 1,
                              static_cast<std::size_t>(kernels::openmp::usable_threads())));
  std::vector<uLong> pieces(static_cast<std::size_t>(threads));
  std::vector<std::size_t> sizes(pieces.size());
  kernels::openmp::run_on_threads(threads, [&](int thread, int count) {
    const std::size_t begin =
        bytes.size() * static_cast<std::size_t>(thread) / static_cast<std::size_t>(count);
    const std::size_t end =
        bytes.size() * static_cast<std::size_t>(thread + 1) / static_cast<std::size_t>(count);
    pieces[static_cast<std::size_t>(thread)] = crc32_of(bytes.subspan(begin, end - begin));
    sizes[static_cast<std::size_t>(thread)] = end - begin;
  });
  uLong crc = crc32_of({});
  for (std::size_t piece = 0; piece < pieces.size(); ++piece) {
    crc = crc32_combine(crc, pieces[piece], static_cast<z_off_t>(sizes[piece]));
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace keras::io
