// SPDX-License-Identifier: Apache-2.0
// The pieces of the text Keras 3's progress bar prints: bold, the bar's done and to-do
// parts in their colours, and the backspaces that rewrite a line.
#pragma once

#include <cstddef>
#include <string>

namespace keras::testing {

inline std::string bold(const std::string& text) { return "\x1b[1m" + text + "\x1b[0m"; }
inline std::string bars(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "━";
  return text;
}
inline std::string done(int count) { return "\x1b[32m" + bars(count) + "\x1b[0m"; }
inline std::string todo(int count) { return "\x1b[37m" + bars(count) + "\x1b[0m"; }
inline std::string back(int count) { return std::string(static_cast<std::size_t>(count), '\b'); }

}  // namespace keras::testing
