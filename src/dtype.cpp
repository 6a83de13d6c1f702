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
    case DType::float64:
    case DType::int64:
      return 8;
    case DType::uint8:
      return 1;
  }
  return 0;
}

std::string_view name_of(DType dtype) noexcept {
  switch (dtype) {
    case DType::float32:
      return "float32";
    case DType::int32:
      return "int32";
    case DType::float64:
      return "float64";
    case DType::int64:
      return "int64";
    case DType::uint8:
      return "uint8";
  }
  return "unknown";
}

DType dtype_from_name(std::string_view name) {
  for (const DType dtype :
       {DType::float32, DType::int32, DType::float64, DType::int64, DType::uint8}) {
    if (name == name_of(dtype)) return dtype;
  }
  throw ValueError(fmt::format(
      "Unsupported dtype: '{}'. kerascpp tensors hold float32, int32, float64, int64 or uint8.",
      name));
}

}  // namespace keras
