// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace keras::callbacks::detail {

/// Keras's `io_utils.print_msg`: `message` and a line break on standard output, flushed.
void print_msg(std::string_view message);

/// Python's `warnings.warn(message)` as a callback issues it: "UserWarning: {message}" on
/// standard error, once per distinct text, as Python's default filter shows a warning once
/// per place it is raised from. One per callback object, so each callback warns once.
class Warnings {
 public:
  void warn(const std::string& message);

 private:
  std::set<std::string> shown_;
};

}  // namespace keras::callbacks::detail
