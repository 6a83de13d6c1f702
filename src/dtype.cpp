// SPDX-License-Identifier: Apache-2.0
#include "keras/dtype.h"

#include "keras/error.h"

#include <fmt/format.h>

namespace keras {

std::size_t size_of(DType dtype) noexcept {
  switch (dtype) {
    case DType::float32:
    case DType::int32:
      return 4;
  }
  return 0;
}

std::string_view name_of(DType dtype) noexcept {
  switch (dtype) {
    case DType::float32:
      return "float32";
    case DType::int32:
      return "int32";
  }
  return "unknown";
}

DType dtype_from_name(std::string_view name) {
  if (name == "float32") return DType::float32;
  if (name == "int32") return DType::int32;
  throw ValueError(fmt::format(
      "Unsupported dtype: '{}'. kerascpp supports 'float32' (data and weights) and 'int32' "
      "(labels).",
      name));
}

}  // namespace keras
