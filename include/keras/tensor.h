// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/dtype.h"
#include "keras/error.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace keras {

namespace detail {
class Storage;
struct StorageAccess;
}  // namespace detail

/// An n-dimensional array: shape, strides (in elements) and a reference-counted, 64-byte
/// aligned storage shared between views. Row-major and contiguous unless it is a view;
/// images are channels-last (NHWC), as Keras stores them.
///
///     auto x = keras::Tensor::zeros({2, 28, 28, 1});
///     auto flat = x.reshape({2, -1});        // a view: shares x's storage
///     auto nchw = x.permute({0, 3, 1, 2});   // a view with permuted strides
///     auto packed = nchw.contiguous();       // copies, because nchw is not contiguous
class Tensor {
 public:
  /// An undefined tensor (no storage); `defined()` is false.
  Tensor() = default;

  /// Uninitialised contents.
  [[nodiscard]] static Tensor empty(std::vector<std::int64_t> shape, DType dtype = DType::float32);
  [[nodiscard]] static Tensor zeros(std::vector<std::int64_t> shape, DType dtype = DType::float32);
  [[nodiscard]] static Tensor ones(std::vector<std::int64_t> shape, DType dtype = DType::float32);
  [[nodiscard]] static Tensor full(std::vector<std::int64_t> shape, double value,
                                   DType dtype = DType::float32);
  /// Copies `values` (row-major) into a new tensor of `shape`.
  [[nodiscard]] static Tensor from_data(std::span<const float> values,
                                        std::vector<std::int64_t> shape);
  [[nodiscard]] static Tensor from_data(std::span<const std::int32_t> values,
                                        std::vector<std::int64_t> shape);
  /// Uniform in [low, high); the same seed gives the same values on every platform.
  [[nodiscard]] static Tensor uniform(std::vector<std::int64_t> shape, float low, float high,
                                      std::uint64_t seed);
  /// Normal with `mean` and `stddev`; the same seed gives the same values on every platform.
  [[nodiscard]] static Tensor normal(std::vector<std::int64_t> shape, float mean, float stddev,
                                     std::uint64_t seed);

  [[nodiscard]] bool defined() const noexcept { return storage_ != nullptr; }
  [[nodiscard]] DType dtype() const noexcept { return dtype_; }
  [[nodiscard]] int rank() const noexcept { return static_cast<int>(shape_.size()); }
  [[nodiscard]] const std::vector<std::int64_t>& shape() const noexcept { return shape_; }
  /// Size of `axis`; negative axes count from the end.
  [[nodiscard]] std::int64_t dim(int axis) const;
  /// Element strides per axis.
  [[nodiscard]] const std::vector<std::int64_t>& strides() const noexcept { return strides_; }
  /// Number of elements.
  [[nodiscard]] std::int64_t size() const noexcept;
  [[nodiscard]] std::size_t nbytes() const noexcept;
  /// Row-major with no gaps: the layout every kernel expects.
  [[nodiscard]] bool is_contiguous() const noexcept;
  /// True when both tensors view the same storage.
  [[nodiscard]] bool shares_storage_with(const Tensor& other) const noexcept;

  /// First element of the view; throws TypeError when T does not match dtype().
  template <typename T>
  [[nodiscard]] T* data() {
    check_element_type(is_dtype_of<T>(dtype_));
    return static_cast<T*>(raw_data());
  }
  template <typename T>
  [[nodiscard]] const T* data() const {
    check_element_type(is_dtype_of<T>(dtype_));
    return static_cast<const T*>(raw_data());
  }
  [[nodiscard]] void* raw_data() noexcept;
  [[nodiscard]] const void* raw_data() const noexcept;

  /// One element; throws IndexError when the index is out of range.
  template <typename T = float>
  [[nodiscard]] T& at(std::initializer_list<std::int64_t> index) {
    return data<T>()[element_offset(index)];
  }
  template <typename T = float>
  [[nodiscard]] const T& at(std::initializer_list<std::int64_t> index) const {
    return data<T>()[element_offset(index)];
  }
  /// The elements in row-major order as float32, whatever the strides and dtype.
  [[nodiscard]] std::vector<float> to_vector() const;
  /// The elements converted to `dtype` as NumPy's `astype` converts them; this tensor
  /// itself when it already has that dtype.
  [[nodiscard]] Tensor astype(DType dtype) const;

  /// The same elements under a new shape; one axis may be -1. A view when contiguous,
  /// otherwise a contiguous copy (as `torch.reshape`).
  [[nodiscard]] Tensor reshape(std::vector<std::int64_t> shape) const;
  /// A view with axes reordered: axis i of the result is axis `axes[i]` of this tensor.
  [[nodiscard]] Tensor permute(std::vector<int> axes) const;
  /// A view with two axes swapped.
  [[nodiscard]] Tensor transpose(int axis0, int axis1) const;
  /// A view of rows [start, stop) of the first axis.
  [[nodiscard]] Tensor slice(std::int64_t start, std::int64_t stop) const;
  /// A view of `length` entries of `axis` from `start` (torch's narrow); any axis.
  [[nodiscard]] Tensor narrow(int axis, std::int64_t start, std::int64_t length) const;
  /// This tensor when contiguous, else a contiguous copy.
  [[nodiscard]] Tensor contiguous() const;
  /// A contiguous deep copy.
  [[nodiscard]] Tensor clone() const;
  /// Copies `source` (same shape and dtype, any strides) into this tensor's elements.
  void copy_from(const Tensor& source);

  /// numpy-like text: `Tensor(shape=(2, 3), dtype=float32, [[0, 1, 2], [3, 4, 5]])`.
  [[nodiscard]] std::string to_string() const;

 private:
  friend struct detail::StorageAccess;
  Tensor(std::shared_ptr<detail::Storage> storage, std::vector<std::int64_t> shape,
         std::vector<std::int64_t> strides, std::int64_t offset, DType dtype);
  [[nodiscard]] static Tensor allocate(std::vector<std::int64_t> shape, DType dtype, bool zeroed);
  [[nodiscard]] std::size_t element_offset(std::initializer_list<std::int64_t> index) const;
  static void check_element_type(bool matches);

  std::shared_ptr<detail::Storage> storage_;
  std::vector<std::int64_t> shape_;
  std::vector<std::int64_t> strides_;
  std::int64_t offset_ = 0;  // elements from the start of the storage
  DType dtype_ = DType::float32;
};

std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

}  // namespace keras
