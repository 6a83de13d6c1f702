// SPDX-License-Identifier: Apache-2.0
#include "io/crc32.h"

#include "keras/config.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string_view>
#include <vector>

namespace keras::io {
namespace {

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

TEST(Crc32Test, IsZipsCrc) {
  EXPECT_EQ(crc32({}), 0U);
  EXPECT_EQ(crc32(bytes_of("123456789")), 0xCBF43926U);  // the standard check value
}

TEST(Crc32Test, PiecesOnSeveralThreadsCombineToTheWholesCrc) {
  std::vector<std::byte> bytes((std::size_t{13} << 20) + 7);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i * 7 % 253);
  const int before = config::num_threads();
  config::set_num_threads(1);
  const std::uint32_t one_thread = crc32(bytes);
  config::set_num_threads(3);
  EXPECT_EQ(crc32(bytes), one_thread);
  bytes[bytes.size() / 2] ^= std::byte{1};
  EXPECT_NE(crc32(bytes), one_thread);
  config::set_num_threads(before);
}

}  // namespace
}  // namespace keras::io
