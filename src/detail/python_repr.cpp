// SPDX-License-Identifier: Apache-2.0
#include "detail/python_repr.h"

#include <fmt/format.h>

#include <cmath>

namespace keras::detail {

std::string python_float(double value) {
  if (std::isnan(value)) return "nan";  // fmt would keep NaN's sign bit: "-nan"
  std::string text = fmt::format("{}", value);
  // fmt writes integral values without a fraction; Python keeps ".0".
  if (text.find_first_not_of("-0123456789") == std::string::npos) text += ".0";
  return text;
}

}  // namespace keras::detail
