// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/child_process.h"
#include "io/file_image.h"
#include "keras/tensor.h"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace keras::io::hdf5 {

enum class Order;  // io/hdf5_file.h

/// An HDF5 file opened for reading in a helper process (io/child_process.h). HDF5 1.10.8 trusts
/// the files it reads: damaged ones make it read out of bounds, allocate gigabytes or loop
/// (docs/fuzzing.md). Here every HDF5 call on the file runs in the helper, through the same
/// Group functions, and only the answers come back; a helper that crashes, hangs or runs out
/// of memory becomes a FileError naming the file. Groups of a file opened with
/// File::open_read forward their reads here.
class ReaderProcess {
 public:
  /// Reads what is left of `image` (io/file_image.h), starts the helper, which inherits it,
  /// and opens the file there; throws the FileError File::open_image would.
  ReaderProcess(FileImage image, const std::string& shown_name);

  [[nodiscard]] bool has_group(const std::string& group, std::string_view name);
  [[nodiscard]] bool has_dataset(const std::string& group, std::string_view name);
  /// Throws the FileError Group::group would when `name` is not a group of `group`.
  void check_group(const std::string& group, std::string_view name);
  [[nodiscard]] std::vector<std::string> children(const std::string& group, Order order);
  [[nodiscard]] bool has_attribute(const std::string& group, std::string_view name);
  [[nodiscard]] std::string string_attribute(const std::string& group, std::string_view name);
  [[nodiscard]] std::vector<std::string> string_list_attribute(const std::string& group,
                                                               std::string_view name);
  /// A view of the image when the dataset is stored there as float32, otherwise a copy.
  [[nodiscard]] Tensor read_float32(const std::string& group, std::string_view name);
  [[nodiscard]] std::int64_t read_int64_scalar(const std::string& group, std::string_view name);
  [[nodiscard]] std::string dataset_dtype(const std::string& group, std::string_view name);

  /// How long the helper may take over one answer (default 60 s; the fuzzers set less).
  static void set_reply_timeout(std::chrono::milliseconds timeout);

 private:
  // Sends `request` and decodes the answer with `decode(wire::Reader&)`; a failure in the
  // helper, or the helper's end, becomes a FileError.
  template <typename Decode>
  auto ask(std::string request, Decode decode);

  std::string shown_name_;
  FileImage image_;  // float32 datasets come back as views of it
  ChildProcess helper_;
};

}  // namespace keras::io::hdf5
