// SPDX-License-Identifier: Apache-2.0
#include "callbacks/python_format.h"

#include "detail/python_repr.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace keras::callbacks::detail {
namespace {

bool is_float_type(char type) {
  return std::string_view("eEfFgG").find(type) != std::string_view::npos;
}

// A trailing letter is the presentation type; Python names the ones a type does not know.
void check_type(std::string_view spec, std::string_view known, std::string_view python_type) {
  const char type = spec.empty() ? '\0' : spec.back();
  if (std::isalpha(static_cast<unsigned char>(type)) &&
      known.find(type) == std::string_view::npos) {
    throw ValueError(
        fmt::format("Unknown format code '{}' for object of type '{}'", type, python_type));
  }
}

template <typename Value>
std::string format_with_spec(Value value, std::string_view spec, std::string_view python_type) {
  try {
    return fmt::format(fmt::runtime(fmt::format("{{:{}}}", spec)), value);
  } catch (const fmt::format_error&) {
    throw ValueError(
        fmt::format("Invalid format specifier '{}' for object of type '{}'", spec, python_type));
  }
}

// Python's `format(value, spec)`. fmt's spec language is Python's, less "n", "%", "=" and
// the thousands separators, which end as "Invalid format specifier".
std::string format_field(const FormatValue& value, std::string_view spec) {
  if (const auto* integer = std::get_if<long long>(&value)) {
    if (spec.empty()) return std::to_string(*integer);
    check_type(spec, "bcdoxXeEfFgG", "int");
    if (is_float_type(spec.back())) {
      return format_with_spec(static_cast<double>(*integer), spec, "int");
    }
    return format_with_spec(*integer, spec, "int");
  }
  const double real = std::get<double>(value);
  if (spec.empty()) return keras::detail::python_float(real);
  check_type(spec, "eEfFgG", "float");
  if (std::isnan(real)) return format_with_spec(std::abs(real), spec, "float");  // never "-nan"
  return format_with_spec(real, spec, "float");
}

std::string format_replacement(std::string_view field, const FormatArgs& args) {
  const std::size_t colon = field.find(':');
  const std::string_view name = field.substr(0, colon);
  const std::string_view spec = colon == std::string_view::npos ? "" : field.substr(colon + 1);
  if (name.empty() || std::all_of(name.begin(), name.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    throw IndexError(fmt::format("Replacement index {} out of range for positional args tuple",
                                 name.empty() ? "0" : name));
  }
  const auto found = args.find(name);
  if (found == args.end()) throw MissingFormatKey(std::string(name));
  return format_field(found->second, spec);
}

}  // namespace

std::string python_str_format(std::string_view pattern, const FormatArgs& args) {
  std::string text;
  std::size_t at = 0;
  while (at < pattern.size()) {
    const char c = pattern[at];
    const bool doubled = at + 1 < pattern.size() && pattern[at + 1] == c;
    if (c == '}') {
      if (!doubled) throw ValueError("Single '}' encountered in format string");
      text += '}';
      at += 2;
    } else if (c == '{' && doubled) {
      text += '{';
      at += 2;
    } else if (c == '{') {
      const std::size_t close = pattern.find('}', at);
      if (close == std::string_view::npos) {
        throw ValueError(at + 1 == pattern.size() ? "Single '{' encountered in format string"
                                                  : "expected '}' before end of string");
      }
      text += format_replacement(pattern.substr(at + 1, close - at - 1), args);
      at = close + 1;
    } else {
      text += c;
      ++at;
    }
  }
  return text;
}

}  // namespace keras::callbacks::detail
