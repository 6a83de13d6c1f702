// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace keras::testing {

/// The bytes of an IDX file: magic number (0, 0, `type_code`, rank), big-endian dims, `data`.
inline std::string idx_bytes(unsigned char type_code, const std::vector<std::uint32_t>& dims,
                             const std::string& data) {
  std::string bytes{'\0', '\0', static_cast<char>(type_code), static_cast<char>(dims.size())};
  for (const std::uint32_t size : dims) {
    for (const int shift : {24, 16, 8, 0}) bytes += static_cast<char>((size >> shift) & 0xff);
  }
  return bytes + data;
}

/// The bytes of a uint8 IDX file whose elements count 0, 1, 2, ... (mod 256).
inline std::string idx_counting_bytes(const std::vector<std::uint32_t>& dims) {
  std::uint64_t count = 1;
  for (const std::uint32_t size : dims) count *= size;
  std::string data(count, '\0');
  for (std::uint64_t at = 0; at < count; ++at) data[at] = static_cast<char>(at % 256);
  return idx_bytes(0x08, dims, data);
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace keras::testing
