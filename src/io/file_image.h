// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keras::io {

/// A file's bytes in memory, in one block of tensor storage. HDF5 reads a weights file from
/// here (io/hdf5_file.h: File::open_image), so a `.keras` archive's weights need no
/// temporary file, and a float32 dataset stored whole in the file becomes a view of this
/// block instead of a copy: loading reads each weight's bytes once, into the image, and the
/// variable then borrows them there (io/weight_assignments.h) or, off a 64-byte boundary,
/// copies them once more.
///
/// An image of a file on disk (`of_file`) is read as its bytes are asked for, a page at a time,
/// so that what a load never asks for is never read: a file Keras saved with a compiled model
/// holds its optimizer's weights, twice the model's, which a load without compile, or
/// load_weights from a legacy `.h5`, does not read. A file that
/// changes while it is read (h5py rewrites a checkpoint in place) is an error, not an image of
/// two files. Copies of an image share its block and what has been read of it. One thread at
/// a time.
class FileImage {
 public:
  FileImage() = default;
  /// An image of `size` bytes, not yet filled: the caller writes them all through data().
  explicit FileImage(std::uint64_t size);
  /// The image of the file at `path`, read from it as asked for; `shown_name` names it in
  /// messages. Throws FileError when the file cannot be opened or is not a regular file.
  [[nodiscard]] static FileImage of_file(const std::string& path, const std::string& shown_name);

  /// The block, for a caller that fills it, or that reads it whole (everything is read first).
  [[nodiscard]] std::byte* data();
  [[nodiscard]] const std::byte* data() const;
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  /// The whole block, read or not, for a reader that reads it through bytes().
  [[nodiscard]] std::span<const unsigned char> block() const noexcept;

  /// Reads the `size` bytes at `offset` where they have not been read. Throws FileError when
  /// the file cannot be read, has changed since it was opened, or was closed (stop_reading),
  /// and std::out_of_range when the range does not lie inside the image.
  void read(std::uint64_t offset, std::uint64_t size) const;
  /// The same bytes, read.
  [[nodiscard]] std::span<const unsigned char> bytes(std::uint64_t offset,
                                                     std::uint64_t size) const;
  /// Reads what has not been read, so that data() holds the whole file.
  void read_all() const;
  /// How many bytes have been read from the file so far (all of them for an image its caller
  /// filled): what a load cost, for tests and benchmarks.
  [[nodiscard]] std::uint64_t bytes_read() const noexcept;
  /// Closes the file: what was read stays, and the rest of the block may then be written over
  /// (io/weight_assignments.h moves values there).
  void stop_reading() const noexcept;

  /// The float32 values of `shape` that start `offset` bytes into the image, as a view of it
  /// (read first); nothing when they do not lie wholly inside it or start off a float's
  /// alignment.
  [[nodiscard]] std::optional<Tensor> float32_view(std::uint64_t offset,
                                                   const std::vector<std::int64_t>& shape) const;
  /// Where `values` starts in the image, when it is one of float32_view's views.
  [[nodiscard]] std::optional<std::uint64_t> offset_of(const Tensor& values) const;

 private:
  class Source;

  Tensor block_;  // float32 elements covering size_ bytes, rounded up
  std::uint64_t size_ = 0;
  std::shared_ptr<Source> source_;  // the file the block is read from (of_file)
};

/// Throws the FileError of a file that cannot be read: "Cannot read HDF5 file '{name}': {what}"
/// (every file image is an HDF5 file's, on disk or in a `.keras` archive).
[[noreturn]] void fail_hdf5_read(const std::string& name, std::string_view what);

/// The machine's physical memory in bytes, or 0 when it cannot be told: no file image can be
/// larger.
[[nodiscard]] std::uint64_t physical_memory_bytes();

}  // namespace keras::io
