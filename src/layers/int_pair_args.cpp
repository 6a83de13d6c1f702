// SPDX-License-Identifier: Apache-2.0
#include "layers/int_pair_args.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <vector>

namespace keras::layers {

std::string int_pair_repr(const IntPair& pair) {
  const auto& [first, second] = pair.values();
  if (pair.single_int()) return std::to_string(first);
  return fmt::format("({}, {})", first, second);
}

std::array<int, 2> standardize_int_pair(const IntPair& pair, std::string_view name) {
  std::set<int> bad;
  for (const int value : pair.values()) {
    if (value <= 0) bad.insert(value);
  }
  if (!bad.empty()) {
    throw ValueError(fmt::format(
        "The `{0}` argument must be a tuple of 2 integers. Received {0}={1}, including values "
        "{{{2}}} that do not satisfy `value > 0`",
        name, int_pair_repr(pair), fmt::join(bad, ", ")));
  }
  return pair.values();
}

}  // namespace keras::layers

namespace keras::io {

layers::IntPair int_pair_from_config(ConfigReader& config, std::string_view key,
                                     std::string_view class_name, layers::IntPair fallback) {
  const Json value = config.get<Json>(key, Json());
  if (value.is_null()) return fallback;
  if (value.is_number_integer()) return {value.get<int>()};
  const bool integers =
      value.is_array() &&
      std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_number_integer(); });
  if (!integers) {
    throw ValueError(fmt::format("The config of a {} layer has an invalid value for '{}': {}",
                                 class_name, key, value.dump()));
  }
  if (value.size() != 2) {
    throw ValueError(
        fmt::format("The `{0}` argument must be a tuple of 2 integers. Received {0}=[{1}]", key,
                    fmt::join(value.get<std::vector<int>>(), ", ")));
  }
  return {value[0].get<int>(), value[1].get<int>()};
}

}  // namespace keras::io
