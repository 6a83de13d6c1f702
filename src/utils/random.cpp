// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/random.h"

#include "detail/random.h"
#include "detail/seed_stream.h"

#include <mutex>
#include <random>

namespace keras {
namespace {

struct SeedStream {
  std::mutex mutex;
  detail::Random random{std::random_device{}()};
};

SeedStream& seed_stream() {
  static SeedStream stream;
  return stream;
}

}  // namespace

void utils::set_random_seed(std::uint64_t seed) {
  auto& stream = seed_stream();
  std::lock_guard lock(stream.mutex);
  stream.random = detail::Random(seed);
}

std::uint64_t detail::next_seed() {
  auto& stream = seed_stream();
  std::lock_guard lock(stream.mutex);
  return stream.random.next_u64();
}

}  // namespace keras
