// SPDX-License-Identifier: Apache-2.0
#include "io/file_image.h"

#include <unistd.h>

namespace keras::io {

FileImage::FileImage(std::uint64_t size)
    : block_(Tensor::empty({static_cast<std::int64_t>((size + sizeof(float) - 1) / sizeof(float))},
                           DType::float32)),
      size_(size) {}

std::optional<Tensor> FileImage::float32_view(std::uint64_t offset,
                                              const std::vector<std::int64_t>& shape) const {
  std::uint64_t elements = 1;
  for (const std::int64_t size : shape) {
    if (size < 0 || __builtin_mul_overflow(elements, static_cast<std::uint64_t>(size), &elements)) {
      return std::nullopt;
    }
  }
  std::uint64_t end = 0;
  if (offset % sizeof(float) != 0 || __builtin_mul_overflow(elements, sizeof(float), &end) ||
      __builtin_add_overflow(end, offset, &end) || end > size_) {
    return std::nullopt;
  }
  return block_
      .narrow(0, static_cast<std::int64_t>(offset / sizeof(float)),
              static_cast<std::int64_t>(elements))
      .reshape(shape);
}

std::optional<std::uint64_t> FileImage::offset_of(const Tensor& values) const {
  if (!block_.defined() || !values.defined() || !values.shares_storage_with(block_) ||
      !values.is_contiguous()) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(static_cast<const std::byte*>(values.raw_data()) - data());
}

std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

}  // namespace keras::io
