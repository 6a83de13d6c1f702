// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace keras::io::hdf5 {

/// A global heap collection ("GCOL", where variable-length strings live) that HDF5 1.10's
/// reader would mishandle: where it is and what is wrong with it.
struct DamagedGlobalHeap {
  std::uint64_t offset;
  std::string problem;  // e.g. "it lists a free-space object of size 0"
};

/// The first damaged global heap collection of the file, or nullopt. HDF5 1.10.8 trusts the
/// object list of a collection: a free-space entry (index 0) of size 0 makes H5HG's loader
/// step by zero bytes forever (H5Aread hangs), and an object whose size runs past the
/// collection makes H5HG_read copy from beyond it. `length_size` is the file's "size of
/// lengths" (8 for every file h5py writes).
[[nodiscard]] std::optional<DamagedGlobalHeap> find_damaged_global_heap(const std::string& path,
                                                                        unsigned length_size);

}  // namespace keras::io::hdf5
