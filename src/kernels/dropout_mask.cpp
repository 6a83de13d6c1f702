// SPDX-License-Identifier: Apache-2.0
// Mask generation is layout glue (oneDNN 2.6 has no random primitive); the multiply that
// applies the mask is a oneDNN binary primitive (kernels/binary.h).
#include "kernels/dropout_mask.h"

#include <algorithm>
#include <cmath>

// The hash loop in an AVX2 clone and a baseline one, picked when the library loads: eight
// lanes where the CPU has them (about three times the SSE2 speed), and it still runs anywhere.
#if defined(__x86_64__) && defined(__GNUC__)
#define KERAS_TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define KERAS_TARGET_CLONES
#endif

namespace keras::kernels {
namespace {

// splitmix64's output function: makes the per-call and per-block keys.
std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Chris Wellons's lowbias32, a 32-bit integer hash with near-ideal avalanche; 32-bit lanes
// vectorise where splitmix64's 64-bit products do not.
inline std::uint32_t mix32(std::uint32_t x) noexcept {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// Blocks of 2^30 elements, each with its own key, so that 32-bit indices never repeat.
constexpr std::int64_t block_size = std::int64_t{1} << 30;
constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

KERAS_TARGET_CLONES
void fill_block(float* mask, std::int64_t count, std::uint64_t key, std::uint32_t threshold,
                float scale) {
  const auto k0 = static_cast<std::uint32_t>(key);
  const auto k1 = static_cast<std::uint32_t>(key >> 32);
  for (std::int64_t i = 0; i < count; ++i) {
    const std::uint32_t word = mix32(mix32(static_cast<std::uint32_t>(i) ^ k0) + k1);
    mask[i] = word >= threshold ? scale : 0.0f;
  }
}

}  // namespace

float dropout_scale(double rate) noexcept {
  return rate >= 1.0 ? 0.0f : static_cast<float>(1.0 / (1.0 - rate));
}

void fill_dropout_mask(Tensor& mask, double rate, std::uint64_t seed, std::uint64_t counter) {
  float* values = mask.data<float>();
  const std::int64_t count = mask.size();
  // Keep when word >= threshold: probability (2^32 - threshold) / 2^32 = 1 - rate.
  const double threshold = std::round(std::clamp(rate, 0.0, 1.0) * 0x1.0p32);
  if (threshold >= 0x1.0p32) {
    std::fill(values, values + count, 0.0f);
    return;
  }
  const std::uint64_t call_key = mix64(mix64(seed + golden_gamma) + counter * golden_gamma);
  for (std::int64_t start = 0; start < count; start += block_size) {
    const auto block = static_cast<std::uint64_t>(start / block_size);
    fill_block(values + start, std::min(block_size, count - start),
               mix64(call_key + (block + 1) * golden_gamma), static_cast<std::uint32_t>(threshold),
               dropout_scale(rate));
  }
}

}  // namespace keras::kernels
