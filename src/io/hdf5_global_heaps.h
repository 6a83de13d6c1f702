// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace keras::io::hdf5 {

/// The unsigned little-endian number in `bytes` (HDF5's on-disk integers, at most 8 bytes).
[[nodiscard]] std::uint64_t read_little_endian(std::span<const unsigned char> bytes);

/// Where the bytes of one variable-length element live: object `index` of the global heap
/// collection ("GCOL") at file offset `collection`.
struct GlobalHeapId {
  std::uint64_t collection;
  std::uint32_t index;
};

/// What find_global_heap_object found: the object's bytes when `problem` is empty, otherwise
/// why there are none, e.g. "the global heap at byte 96 (where variable-length strings are kept)
/// is damaged: it lists a free-space object of size 0".
struct GlobalHeapObject {
  std::span<const unsigned char> bytes;
  std::string problem;
};

/// Object `id` of the global heap collection in `file` (the file's bytes), found as HDF5
/// 1.10.8's H5HG loader finds it, but checked where that loader trusts the file: a free-space
/// entry of size 0 (HDF5 loops forever), an object or collection running past its end (HDF5
/// copies from beyond it), an index the collection does not list (HDF5 reads a wild entry).
/// `length_size` is the file's "size of lengths" (8 in every file h5py writes).
[[nodiscard]] GlobalHeapObject find_global_heap_object(std::span<const unsigned char> file,
                                                       GlobalHeapId id, unsigned length_size);

/// The string one variable-length string element of `file` stands for: its descriptor (the
/// string's length in 4 bytes, its collection's address in `address_size` bytes, counted from
/// `base`, and its index in 4) resolved through find_global_heap_object, and cut at its first
/// NUL as HDF5 hands a C string over; the null element (address 0) is empty. `problem` names
/// `where` when the string cannot be read.
struct HeapString {
  std::string text;
  std::string problem;
};
[[nodiscard]] HeapString read_heap_string(std::span<const unsigned char> file,
                                          std::span<const unsigned char> descriptor,
                                          unsigned address_size, std::uint64_t base,
                                          unsigned length_size, std::string_view where);

}  // namespace keras::io::hdf5
