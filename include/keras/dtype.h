// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace keras {

/// Element types of a Tensor. Layers compute in float32 (int32 holds class labels); the
/// others hold data as files bring it (NumPy's float64, int64, uint8) until `astype`.
enum class DType : std::uint8_t { float32, int32, float64, int64, uint8 };

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
  } else if constexpr (std::is_same_v<T, double>) {
    return dtype == DType::float64;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return dtype == DType::int64;
  } else if constexpr (std::is_same_v<T, std::uint8_t>) {
    return dtype == DType::uint8;
  } else {
    return false;
  }
}

}  // namespace keras
