// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace keras::io {

/// A file's bytes in memory, in one block of tensor storage. HDF5 reads a weights file from
/// here (io/hdf5_file.h: File::open_image), so a `.keras` archive's weights need no
/// temporary file, and a float32 dataset stored whole in the file becomes a view of this
/// block instead of a copy: loading reads each weight's bytes once, into the image, and the
/// variable then borrows them there (io/weight_assignments.h) or, off a 64-byte boundary,
/// copies them once more.
class FileImage {
 public:
  FileImage() = default;
  /// An image of `size` bytes, not yet filled.
  explicit FileImage(std::uint64_t size);

  [[nodiscard]] std::byte* data() noexcept { return static_cast<std::byte*>(block_.raw_data()); }
  [[nodiscard]] const std::byte* data() const noexcept {
    return static_cast<const std::byte*>(block_.raw_data());
  }
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

  /// The float32 values of `shape` that start `offset` bytes into the image, as a view of it;
  /// nothing when they do not lie wholly inside it or start off a float's alignment.
  [[nodiscard]] std::optional<Tensor> float32_view(std::uint64_t offset,
                                                   const std::vector<std::int64_t>& shape) const;
  /// Where `values` starts in the image, when it is one of float32_view's views.
  [[nodiscard]] std::optional<std::uint64_t> offset_of(const Tensor& values) const;

 private:
  Tensor block_;  // float32 elements covering size_ bytes, rounded up
  std::uint64_t size_ = 0;
};

/// The machine's physical memory in bytes, or 0 when it cannot be told: no file image can be
/// larger.
[[nodiscard]] std::uint64_t physical_memory_bytes();

}  // namespace keras::io
