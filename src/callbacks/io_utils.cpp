// SPDX-License-Identifier: Apache-2.0
#include "callbacks/io_utils.h"

#include <fmt/format.h>

#include <cstdio>

namespace keras::callbacks::detail {

void print_msg(std::string_view message) {
  fmt::print(stdout, "{}\n", message);
  std::fflush(stdout);
}

void Warnings::warn(const std::string& message) {
  if (!shown_.insert(message).second) return;
  fmt::print(stderr, "UserWarning: {}\n", message);
  std::fflush(stderr);
}

}  // namespace keras::callbacks::detail
