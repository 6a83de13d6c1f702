// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace keras::detail {

/// A seeded generator whose sequence is fixed by kerascpp, not by the standard library, so
/// that a seed gives the same numbers with every compiler (std::uniform_real_distribution
/// and std::normal_distribution are implementation-defined).
class Random {
 public:
  explicit Random(std::uint64_t seed) noexcept : state_(seed) {}

  /// splitmix64: passes BigCrush and needs one word of state.
  std::uint64_t next_u64() noexcept;
  /// Uniform in [0, 1) with 24 random bits, the resolution of a float.
  float next_unit() noexcept;
  /// Standard normal by Box-Muller.
  float next_normal() noexcept;

 private:
  std::uint64_t state_;
};

}  // namespace keras::detail
