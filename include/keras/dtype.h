// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace keras {

/// Element types of a Tensor: float32 for data and weights, int32 for class labels.
enum class DType : std::uint8_t { float32, int32 };

/// Bytes per element.
[[nodiscard]] std::size_t size_of(DType dtype) noexcept;

/// The Keras name of the dtype: "float32", "int32".
[[nodiscard]] std::string_view name_of(DType dtype) noexcept;

/// The dtype named `name` (a Keras dtype string); throws ValueError for an unknown or unsupported
/// name.
[[nodiscard]] DType dtype_from_name(std::string_view name);

/// The C++ element type of each dtype, for Tensor::data<T>().
template <typename T>
inline constexpr bool is_dtype_of(DType dtype) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    return dtype == DType::float32;
  } else if constexpr (std::is_same_v<T, std::int32_t>) {
    return dtype == DType::int32;
  } else {
    return false;
  }
}

}  // namespace keras
