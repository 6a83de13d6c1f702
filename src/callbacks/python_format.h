// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace keras::callbacks::detail {

/// What Python's `str.format` fills a field with here: an int (the epoch) or a float (logs).
using FormatValue = std::variant<long long, double>;
using FormatArgs = std::map<std::string, FormatValue, std::less<>>;

/// A field of the pattern that `args` lacks (Python raises KeyError('{key}')).
class MissingFormatKey : public std::runtime_error {
 public:
  explicit MissingFormatKey(std::string key)
      : std::runtime_error("'" + key + "'"), key_(std::move(key)) {}
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

/// Python's `pattern.format(**args)` for named fields such as "{epoch:02d}" and
/// "{val_loss:.2f}": `{{` and `}}` escape braces; a format spec follows Python's
/// mini-language ([[fill]align][sign][#][0][width][.precision][type]); an int takes the float
/// types too, a float refuses the integer ones, an empty spec prints Python's str().
/// Throws MissingFormatKey for an unknown field, IndexError for a positional one ("{}",
/// "{0}"), and ValueError, worded as Python's, for a malformed pattern or spec.
[[nodiscard]] std::string python_str_format(std::string_view pattern, const FormatArgs& args);

}  // namespace keras::callbacks::detail
