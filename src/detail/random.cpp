// SPDX-License-Identifier: Apache-2.0
#include "detail/random.h"

#include <cmath>
#include <numbers>

namespace keras::detail {

std::uint64_t Random::next_u64() noexcept {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

float Random::next_unit() noexcept { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }

float Random::next_normal() noexcept {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  const double u1 = 1.0 - static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  const double u2 = static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
}

}  // namespace keras::detail
