// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/file_image.h"
#include "io/hdf5_handle.h"
#include "keras/tensor.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keras::io::hdf5 {

/// Which order Group::children lists the links in.
enum class Order { creation, name };

/// The largest dataset read_float32 allocates, in elements (16 GiB of float32).
inline constexpr std::uint64_t max_dataset_elements = std::uint64_t{1} << 32;

struct FileInfo;
class Catalog;
class ReaderProcess;
enum class ObjectKind;  // io/hdf5_catalog.h

/// A group of an open HDF5 file (or its root). Every failure is a FileError whose message
/// names the file and the object: `Cannot read HDF5 file '{file}': {what}`. Names may be
/// relative paths (`"conv2d/kernel:0"`), as Keras's weight names are.
class Group {
 public:
  /// The file's name in messages and its object path, e.g. "/model_weights".
  [[nodiscard]] const std::string& file_name() const noexcept;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The path of the child `name`, for messages.
  [[nodiscard]] std::string child_path(std::string_view name) const;

  [[nodiscard]] bool has_group(std::string_view name) const;
  [[nodiscard]] bool has_dataset(std::string_view name) const;
  /// The sub-group `name`; throws FileError when there is none.
  [[nodiscard]] Group group(std::string_view name) const;
  /// Names of the links in this group, in creation order when the file tracks it,
  /// otherwise (as h5py writes by default) in name order.
  [[nodiscard]] std::vector<std::string> children(Order order = Order::creation) const;

  /// True when the attribute exists, whole or split into `name0`, `name1`, ...
  [[nodiscard]] bool has_attribute(std::string_view name) const;
  /// A string attribute (fixed- or variable-length, scalar or one element).
  [[nodiscard]] std::string string_attribute(std::string_view name) const;
  /// An array of strings such as `layer_names`, possibly split into chunks `name0`,
  /// `name1`, ...; an empty array of any type (h5py writes `[]` as float64) is empty.
  [[nodiscard]] std::vector<std::string> string_list_attribute(std::string_view name) const;

  /// A float dataset as float32: float64 and float16 (and Keras 3's bfloat16, marked by an
  /// attribute `dtype="bfloat16"`) are converted. Rank and size are checked before allocating.
  /// Little-endian float32 stored whole in a file opened from memory is a view of its image.
  [[nodiscard]] Tensor read_float32(std::string_view name) const;
  /// A dataset of one integer (Keras's optimizer `iteration`, int64) as int64.
  [[nodiscard]] std::int64_t read_int64_scalar(std::string_view name) const;
  /// The dataset's type in NumPy's words ("float32", "float64", "float16", "int64", ...).
  [[nodiscard]] std::string dataset_dtype(std::string_view name) const;

  /// Writers; throw FileError `Cannot write HDF5 file '{file}': {what}`.
  [[nodiscard]] Group create_group(std::string_view name) const;
  void write_float32(std::string_view name, const Tensor& values) const;
  void write_int64_scalar(std::string_view name, std::int64_t value) const;
  void write_string_attribute(std::string_view name, std::string_view value) const;
  void write_string_list_attribute(std::string_view name,
                                   const std::vector<std::string>& values) const;

  /// The `count` strings of a variable-length string attribute of this group or of one of its
  /// objects, read without HDF5's heap reader (see hdf5_variable_strings.h); `where` names it.
  [[nodiscard]] std::vector<std::string> read_variable_strings(hid_t attribute, std::size_t count,
                                                               std::string_view where) const;

  /// Throws FileError `Cannot read HDF5 file '{file}': {what}`.
  [[noreturn]] void fail(std::string_view what) const;
  [[noreturn]] void fail_write(std::string_view what) const;

  [[nodiscard]] hid_t id() const noexcept { return id_.get(); }

 private:
  friend class File;
  Group(std::shared_ptr<FileInfo> file, Handle id, std::string path);
  [[nodiscard]] bool has_object(std::string_view name, H5I_type_t type) const;
  // The helper process that reads the file, when it was opened with File::open_read (started
  // here when the catalog cannot answer).
  [[nodiscard]] ReaderProcess* remote() const;
  // What kerascpp read of the file itself, when it was opened with File::open_read and holds
  // only what the catalog reads (io/hdf5_catalog.h); asked before the helper.
  [[nodiscard]] const Catalog* catalog() const noexcept;
  [[nodiscard]] std::optional<ObjectKind> known_kind(std::string_view name) const;
  // The file's bytes, when it was opened for reading (an empty image for a file written).
  [[nodiscard]] const FileImage& image() const noexcept;
  // string_list_attribute from the catalog; nothing when HDF5 must answer.
  [[nodiscard]] std::optional<std::vector<std::string>> known_string_list(
      std::string_view name) const;
  /// The strings of one attribute; with `single`, fails before reading unless it holds
  /// exactly one (each variable-length element costs a copy of what it points to).
  [[nodiscard]] std::vector<std::string> read_strings(std::string_view name,
                                                      bool single = false) const;

  std::shared_ptr<FileInfo> file_;
  Handle id_;
  std::string path_;
};

/// An open HDF5 file. A File and its Groups are used by one thread at a time: the helper
/// process answers one question at a time, and is started by the first question that needs it.
class File {
 public:
  /// Opens `path` read-only; `shown_name` (default: `path`) names it in messages.
  /// Throws FileError when it is missing, not HDF5, or damaged, and when a read finds that it
  /// changed since it was opened. The file is read into memory
  /// once (a FileImage), as it is asked for: its structure at opening, a dataset when it is
  /// read, so a dataset no one reads is never read. What h5py writes by default kerascpp reads
  /// itself (io/hdf5_catalog.h); HDF5 reads anything else, and answers every failure, in a helper
  /// process (io/hdf5_reader_process.h), where a damaged file cannot harm this one.
  [[nodiscard]] static File open_read(const std::string& path, const std::string& shown_name = "");
  /// The same for a file already in memory, e.g. a member of a zip archive.
  [[nodiscard]] static File open_image(FileImage image, const std::string& shown_name);
  /// The same two, with HDF5 reading in this process: only for that helper, and for tests.
  [[nodiscard]] static File open_read_here(const std::string& path,
                                           const std::string& shown_name = "");
  [[nodiscard]] static File open_image_here(FileImage image, const std::string& shown_name);
  /// Creates (or truncates) `path` for writing.
  [[nodiscard]] static File create(const std::string& path, const std::string& shown_name = "");

  [[nodiscard]] const Group& root() const noexcept { return root_; }
  /// Whether HDF5 reads this file (opened with open_read or open_image) in a helper process,
  /// started at opening or at the first question the catalog could not answer.
  [[nodiscard]] bool started_helper() const noexcept;
  /// How many of the file's bytes have been read into memory so far: its structure at opening,
  /// then each dataset read (io/file_image.h).
  [[nodiscard]] std::uint64_t bytes_read() const noexcept;
  /// Flushes and closes (a file opened for reading: ends its helper process); throws FileError
  /// when that fails. Groups taken from root() must be gone by then.
  void close();

 private:
  File(std::shared_ptr<FileInfo> info, Group root);

  std::shared_ptr<FileInfo> info_;
  Group root_;
};

}  // namespace keras::io::hdf5
