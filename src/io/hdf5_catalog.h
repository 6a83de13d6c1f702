// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keras::io::hdf5 {

/// One element of a fixed-length string attribute, trimmed as NumPy reads `S` strings: at its
/// first NUL, or of its trailing spaces when the type pads with spaces.
[[nodiscard]] std::string fixed_string_element(std::span<const unsigned char> bytes,
                                               bool space_padded);

/// What a name in a group stands for.
enum class ObjectKind { missing, group, dataset, other };

/// Where a float32 dataset's values lie in the file, little-endian, stored whole.
struct Float32Place {
  std::vector<std::int64_t> shape;
  std::uint64_t offset = 0;  // in the file; unused when the shape holds no element
};

/// Where a dataset's one integer lies in the file, little-endian, and how to read it.
struct IntegerPlace {
  std::uint64_t offset = 0;
  std::uint32_t size = 0;  // bytes: 1, 2, 4 or 8
  bool is_signed = false;

  friend bool operator==(const IntegerPlace&, const IntegerPlace&) = default;
};

/// The groups, attributes and datasets of an HDF5 file, read from its bytes by kerascpp itself
/// (no HDF5, no helper process: docs/benchmarks.md, loading). It understands only what h5py
/// writes by default, which is every Keras file seen so far: superblock version 0, version-1
/// object headers, groups kept in symbol tables, compact attributes, contiguous or compact
/// datasets. Every read is checked against the file's bytes; a file that uses anything else,
/// or that is damaged, has no catalog, and HDF5 reads it in its helper process as before.
///
/// The answers are as sure as HDF5's: each returns nothing where the catalog would need what
/// it does not read or where HDF5 reports a failure (a missing attribute, a non-string one, a
/// dataset of another type), so that HDF5 answers those, with its own messages. Paths are
/// Group paths ("/", "/model_weights/dense") and names relative to them ("dense/kernel:0").
class Catalog {
 public:
  /// Makes `size` bytes at `offset` in the span the catalog reads hold the file's, before it
  /// reads them there (a file read as it is asked for: io/file_image.h).
  using Fetch = std::function<void(std::uint64_t offset, std::uint64_t size)>;

  /// The catalog of the file whose bytes are `file`, or nothing when HDF5 must read it. With
  /// `fetch`, `file` is the block the file's bytes are read into as the catalog asks for them:
  /// it reads only the file's structure, not its datasets. What `fetch` throws (a FileError
  /// when the file can no longer be read) goes to the caller, here and from strings().
  [[nodiscard]] static std::optional<Catalog> read(std::span<const unsigned char> file,
                                                   Fetch fetch = {});

  [[nodiscard]] std::optional<ObjectKind> kind(std::string_view group, std::string_view name) const;
  /// The names of a group's links, in name order (the only order such groups keep).
  [[nodiscard]] std::optional<std::vector<std::string>> children(std::string_view group) const;
  /// Whether the group has an attribute named exactly `name`.
  [[nodiscard]] std::optional<bool> has_attribute(std::string_view group,
                                                  std::string_view name) const;
  /// The strings of an attribute that holds a list of strings (fixed- or variable-length,
  /// scalar or one-dimensional; empty when it has no element, of any type).
  [[nodiscard]] std::optional<std::vector<std::string>> strings(std::string_view group,
                                                                std::string_view name) const;
  /// Where a float32 dataset lies, when it is little-endian IEEE float32 stored whole.
  [[nodiscard]] std::optional<Float32Place> float32_place(std::string_view group,
                                                          std::string_view name) const;
  /// Where the value of a dataset of one little-endian integer (Keras's optimizer
  /// `iteration`: int64, or int32 as JAX saves it) lies in the file.
  [[nodiscard]] std::optional<IntegerPlace> integer_scalar_place(std::string_view group,
                                                                 std::string_view name) const;

  struct Object;

 private:
  Catalog(std::span<const unsigned char> file, Fetch fetch)
      : file_(file), fetch_(std::move(fetch)) {}
  // The object `name` names in `group` (the group itself for an empty name); a null pointer
  // when there is none, nothing when HDF5 must resolve the path.
  [[nodiscard]] std::optional<const Object*> find(std::string_view group,
                                                  std::string_view name) const;

  std::span<const unsigned char> file_;
  Fetch fetch_;
  std::map<std::uint64_t, std::shared_ptr<const Object>> objects_;  // by object header address
  std::uint64_t root_ = 0;
};

}  // namespace keras::io::hdf5
