// SPDX-License-Identifier: Apache-2.0
#include "keras/tensor.h"

#include "detail/random.h"
#include "detail/storage.h"
#include "keras/shape.h"
#include "kernels/reorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <numeric>
#include <ostream>
#include <type_traits>

namespace keras {
namespace {

std::string format_sizes(const std::vector<std::int64_t>& sizes) {
  return Shape::of(sizes).to_string();
}

std::int64_t checked_element_count(const std::vector<std::int64_t>& shape) {
  // The strides multiply the sizes with zeros read as ones, so that product must fit too,
  // even when a zero makes the element count 0.
  std::int64_t count = 1;
  std::int64_t span = 1;
  for (const std::int64_t size : shape) {
    if (size < 0) {
      throw ValueError(fmt::format("Negative dimension in tensor shape {}", format_sizes(shape)));
    }
    if (__builtin_mul_overflow(span, std::max<std::int64_t>(size, 1), &span)) {
      throw ValueError(fmt::format("Tensor shape {} has too many elements", format_sizes(shape)));
    }
    count *= size;
  }
  return count;
}

std::vector<std::int64_t> row_major_strides(const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> strides(shape.size());
  std::int64_t stride = 1;
  for (std::size_t axis = shape.size(); axis-- > 0;) {
    strides[axis] = stride;
    stride *= std::max<std::int64_t>(shape[axis], 1);
  }
  return strides;
}

int normalize_axis(int axis, int rank) {
  if (axis < -rank || axis >= rank) {
    throw IndexError(fmt::format("Axis {} is out of range for a tensor of rank {}", axis, rank));
  }
  return axis < 0 ? axis + rank : axis;
}

// Resolves a single -1 from the element count, as numpy and Keras do.
std::vector<std::int64_t> resolve_shape(std::vector<std::int64_t> shape, std::int64_t count,
                                        const std::vector<std::int64_t>& from) {
  const auto unknown = std::count(shape.begin(), shape.end(), -1);
  if (unknown > 1) throw ValueError("Can only specify one unknown dimension (-1) in reshape");
  std::int64_t known = 1;
  for (const std::int64_t size : shape) {
    if (size < -1) {
      throw ValueError(fmt::format("Invalid dimension {} in reshape", size));
    }
    if (size != -1) known *= size;
  }
  if (unknown == 1) {
    if (known == 0 || count % known != 0) {
      throw ValueError(fmt::format("Cannot reshape a tensor of shape {} into shape {}",
                                   format_sizes(from), format_sizes(shape)));
    }
    *std::find(shape.begin(), shape.end(), -1) = count / known;
  } else if (known != count) {
    throw ValueError(fmt::format("Cannot reshape a tensor of shape {} into shape {}",
                                 format_sizes(from), format_sizes(shape)));
  }
  return shape;
}

// Calls `action` with a value of the C++ type of `dtype`.
template <typename Action>
decltype(auto) visit_dtype(DType dtype, Action&& action) {
  switch (dtype) {
    case DType::int32:
      return action(std::int32_t{});
    case DType::float64:
      return action(double{});
    case DType::int64:
      return action(std::int64_t{});
    case DType::uint8:
      return action(std::uint8_t{});
    case DType::float32:
      break;
  }
  return action(float{});
}

void fill(Tensor& tensor, double value) {
  visit_dtype(tensor.dtype(), [&](auto zero) {
    using T = decltype(zero);
    std::fill_n(tensor.data<T>(), tensor.size(), static_cast<T>(value));
  });
}

void append_value(std::string& text, const Tensor& tensor, std::int64_t offset) {
  visit_dtype(tensor.dtype(), [&](auto zero) {
    using T = decltype(zero);
    const T value = static_cast<const T*>(tensor.raw_data())[offset];
    if constexpr (std::is_floating_point_v<T>) {
      text += fmt::format("{:g}", value);
    } else {
      text += std::to_string(value);
    }
  });
}

// numpy's layout: nested brackets, rows of the last axis on one line, at most 3 items per
// edge once the tensor holds more than 1000 elements.
void append_axis(std::string& text, const Tensor& tensor, int axis, std::int64_t offset,
                 bool summarise) {
  const auto index = static_cast<std::size_t>(axis);
  const std::int64_t size = tensor.shape()[index];
  const std::int64_t stride = tensor.strides()[index];
  const bool last = axis == tensor.rank() - 1;
  const std::string separator =
      last ? ", "
           : "," + std::string(static_cast<std::size_t>(tensor.rank() - axis - 1), '\n') +
                 std::string(static_cast<std::size_t>(axis + 1), ' ');
  text += '[';
  for (std::int64_t i = 0; i < size; ++i) {
    if (summarise && size > 6 && i == 3) {
      text += "..." + separator;
      i = size - 3;
    }
    if (last) {
      append_value(text, tensor, offset + i * stride);
    } else {
      append_axis(text, tensor, axis + 1, offset + i * stride, summarise);
    }
    if (i + 1 < size) text += separator;
  }
  text += ']';
}

}  // namespace

Tensor::Tensor(std::shared_ptr<detail::Storage> storage, std::vector<std::int64_t> shape,
               std::vector<std::int64_t> strides, std::int64_t offset, DType dtype)
    : storage_(std::move(storage)),
      shape_(std::move(shape)),
      strides_(std::move(strides)),
      offset_(offset),
      dtype_(dtype) {}

Tensor Tensor::empty(std::vector<std::int64_t> shape, DType dtype) {
  return allocate(std::move(shape), dtype, /*zeroed=*/false);
}

Tensor Tensor::allocate(std::vector<std::int64_t> shape, DType dtype, bool zeroed) {
  const auto count = static_cast<std::size_t>(checked_element_count(shape));
  if (count > SIZE_MAX / size_of(dtype)) {
    throw ValueError(fmt::format("Tensor shape {} has too many elements", format_sizes(shape)));
  }
  // An absurd size is refused before asking the allocator: sanitizer runtimes abort on it
  // instead of throwing std::bad_alloc.
  constexpr std::size_t max_tensor_bytes = std::size_t{1} << 40;
  std::shared_ptr<detail::Storage> storage;
  try {
    if (count * size_of(dtype) > max_tensor_bytes) throw std::bad_alloc();
    storage = std::make_shared<detail::Storage>(
        count * size_of(dtype),
        zeroed ? detail::Storage::Contents::zeros : detail::Storage::Contents::unset);
  } catch (const std::bad_alloc&) {
    throw ValueError(fmt::format("Out of memory: a {} tensor of shape {} needs {} bytes",
                                 name_of(dtype), format_sizes(shape), count * size_of(dtype)));
  }
  auto strides = row_major_strides(shape);
  return Tensor(std::move(storage), std::move(shape), std::move(strides), 0, dtype);
}

Tensor Tensor::zeros(std::vector<std::int64_t> shape, DType dtype) {
  return allocate(std::move(shape), dtype, /*zeroed=*/true);
}

Tensor Tensor::ones(std::vector<std::int64_t> shape, DType dtype) {
  return full(std::move(shape), 1.0, dtype);
}

Tensor Tensor::full(std::vector<std::int64_t> shape, double value, DType dtype) {
  Tensor tensor = empty(std::move(shape), dtype);
  fill(tensor, value);
  return tensor;
}

Tensor Tensor::from_data(std::span<const float> values, std::vector<std::int64_t> shape) {
  Tensor tensor = empty(std::move(shape), DType::float32);
  if (static_cast<std::size_t>(tensor.size()) != values.size()) {
    throw ValueError(fmt::format("from_data: {} values cannot fill a tensor of shape {}",
                                 values.size(), format_sizes(tensor.shape())));
  }
  std::copy(values.begin(), values.end(), tensor.data<float>());
  return tensor;
}

Tensor Tensor::from_data(std::span<const std::int32_t> values, std::vector<std::int64_t> shape) {
  Tensor tensor = empty(std::move(shape), DType::int32);
  if (static_cast<std::size_t>(tensor.size()) != values.size()) {
    throw ValueError(fmt::format("from_data: {} values cannot fill a tensor of shape {}",
                                 values.size(), format_sizes(tensor.shape())));
  }
  std::copy(values.begin(), values.end(), tensor.data<std::int32_t>());
  return tensor;
}

Tensor Tensor::uniform(std::vector<std::int64_t> shape, float low, float high, std::uint64_t seed) {
  Tensor tensor = empty(std::move(shape));
  detail::Random random(seed);
  float* values = tensor.data<float>();
  for (std::int64_t i = 0; i < tensor.size(); ++i) {
    values[i] = low + (high - low) * random.next_unit();
  }
  return tensor;
}

Tensor Tensor::normal(std::vector<std::int64_t> shape, float mean, float stddev,
                      std::uint64_t seed) {
  Tensor tensor = empty(std::move(shape));
  detail::Random random(seed);
  float* values = tensor.data<float>();
  for (std::int64_t i = 0; i < tensor.size(); ++i) {
    values[i] = mean + stddev * random.next_normal();
  }
  return tensor;
}

std::int64_t Tensor::dim(int axis) const {
  return shape_[static_cast<std::size_t>(normalize_axis(axis, rank()))];
}

std::int64_t Tensor::size() const noexcept {
  return std::accumulate(shape_.begin(), shape_.end(), std::int64_t{1}, std::multiplies<>());
}

std::size_t Tensor::nbytes() const noexcept {
  return static_cast<std::size_t>(size()) * size_of(dtype_);
}

bool Tensor::is_contiguous() const noexcept {
  std::int64_t expected = 1;
  for (std::size_t axis = shape_.size(); axis-- > 0;) {
    if (shape_[axis] != 1 && strides_[axis] != expected) return false;
    expected *= shape_[axis];
  }
  return true;
}

bool Tensor::shares_storage_with(const Tensor& other) const noexcept {
  return storage_ != nullptr && storage_ == other.storage_;
}

void* Tensor::raw_data() noexcept {
  if (!storage_ || !storage_->bytes()) return nullptr;
  return storage_->bytes() + static_cast<std::size_t>(offset_) * size_of(dtype_);
}

const void* Tensor::raw_data() const noexcept { return const_cast<Tensor*>(this)->raw_data(); }

void Tensor::check_element_type(bool matches) {
  if (!matches) throw TypeError("Tensor::data<T>(): T does not match the tensor's dtype");
}

std::size_t Tensor::element_offset(std::initializer_list<std::int64_t> index) const {
  if (index.size() != shape_.size()) {
    throw IndexError(
        fmt::format("An index of {} values for a tensor of rank {}", index.size(), rank()));
  }
  std::int64_t offset = 0;
  std::size_t axis = 0;
  for (const std::int64_t i : index) {
    if (i < 0 || i >= shape_[axis]) {
      throw IndexError(
          fmt::format("Index {} is out of range for axis {} of size {}", i, axis, shape_[axis]));
    }
    offset += i * strides_[axis++];
  }
  return static_cast<std::size_t>(offset);
}

std::vector<float> Tensor::to_vector() const {
  const Tensor packed = astype(DType::float32).contiguous();
  const float* values = packed.data<float>();
  return {values, values + packed.size()};
}

namespace {

// As NumPy on x86: floats to integers truncate toward zero and wrap around the integer type;
// NaN, infinities and floats beyond int64 become 0 rather than undefined behaviour.
template <typename To, typename From>
To convert_element(From value) {
  if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    constexpr auto limit = static_cast<From>(std::numeric_limits<std::int64_t>::max());
    if (!(value > -limit && value < limit)) return To{0};
    return static_cast<To>(static_cast<std::int64_t>(value));
  } else {
    return static_cast<To>(value);
  }
}

}  // namespace

Tensor Tensor::astype(DType dtype) const {
  if (dtype == dtype_) return *this;
  const Tensor source = contiguous();
  Tensor converted = empty(shape_, dtype);
  visit_dtype(dtype_, [&](auto from) {
    visit_dtype(dtype, [&](auto to) {
      using From = decltype(from);
      using To = decltype(to);
      std::transform(source.data<From>(), source.data<From>() + source.size(), converted.data<To>(),
                     [](From value) { return convert_element<To>(value); });
    });
  });
  return converted;
}

Tensor Tensor::reshape(std::vector<std::int64_t> shape) const {
  shape = resolve_shape(std::move(shape), size(), shape_);
  if (!is_contiguous()) return contiguous().reshape(std::move(shape));
  auto strides = row_major_strides(shape);
  return Tensor(storage_, std::move(shape), std::move(strides), offset_, dtype_);
}

Tensor Tensor::permute(std::vector<int> axes) const {
  if (axes.size() != shape_.size()) {
    throw ValueError(
        fmt::format("permute: {} axes given for a tensor of rank {}", axes.size(), rank()));
  }
  std::vector<bool> seen(axes.size(), false);
  std::vector<std::int64_t> shape(axes.size());
  std::vector<std::int64_t> strides(axes.size());
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const auto axis = static_cast<std::size_t>(normalize_axis(axes[i], rank()));
    if (seen[axis]) throw ValueError(fmt::format("permute: axis {} repeated", axis));
    seen[axis] = true;
    shape[i] = shape_[axis];
    strides[i] = strides_[axis];
  }
  return Tensor(storage_, std::move(shape), std::move(strides), offset_, dtype_);
}

Tensor Tensor::transpose(int axis0, int axis1) const {
  std::vector<int> axes(shape_.size());
  std::iota(axes.begin(), axes.end(), 0);
  std::swap(axes[static_cast<std::size_t>(normalize_axis(axis0, rank()))],
            axes[static_cast<std::size_t>(normalize_axis(axis1, rank()))]);
  return permute(std::move(axes));
}

Tensor Tensor::slice(std::int64_t start, std::int64_t stop) const {
  if (shape_.empty()) throw IndexError("Cannot slice a tensor of rank 0");
  if (start < 0 || stop < start || stop > shape_[0]) {
    throw IndexError(fmt::format("Slice [{}, {}) is out of range for a first axis of size {}",
                                 start, stop, shape_[0]));
  }
  return narrow(0, start, stop - start);
}

Tensor Tensor::narrow(int axis, std::int64_t start, std::int64_t length) const {
  const auto index = static_cast<std::size_t>(normalize_axis(axis, rank()));
  if (start < 0 || length < 0 || start + length > shape_[index]) {
    throw IndexError(fmt::format("narrow: [{}, {}) is out of range for axis {} of size {}", start,
                                 start + length, axis, shape_[index]));
  }
  auto shape = shape_;
  shape[index] = length;
  return Tensor(storage_, std::move(shape), strides_, offset_ + start * strides_[index], dtype_);
}

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : clone(); }

Tensor Tensor::clone() const {
  Tensor copy = empty(shape_, dtype_);
  copy.copy_from(*this);
  return copy;
}

void Tensor::copy_from(const Tensor& source) {
  if (source.shape_ != shape_ || source.dtype_ != dtype_) {
    throw ValueError(
        fmt::format("copy_from: cannot copy a {} tensor of shape {} into a {} "
                    "tensor of shape {}",
                    name_of(source.dtype_), format_sizes(source.shape_), name_of(dtype_),
                    format_sizes(shape_)));
  }
  kernels::copy_strided(source, *this);
}

std::string Tensor::to_string() const {
  if (!defined()) return "Tensor(undefined)";
  std::string text =
      fmt::format("Tensor(shape={}, dtype={}, ", format_sizes(shape_), name_of(dtype_));
  if (shape_.empty()) {
    append_value(text, *this, 0);
  } else {
    append_axis(text, *this, 0, 0, size() > 1000);
  }
  return text + ')';
}

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
  return out << tensor.to_string();
}

}  // namespace keras
