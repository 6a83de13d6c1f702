// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace keras::io::hdf5 {

/// The file offset of a global heap collection that HDF5 1.10's reader would never finish
/// parsing, or nullopt. Variable-length strings live in such collections ("GCOL"); one whose
/// object list holds a free-space entry (index 0) of size 0 makes H5HG's loader step by zero
/// bytes forever, so a damaged file would hang H5Aread. `length_size` is the file's "size of
/// lengths" (8 for every file h5py writes).
[[nodiscard]] std::optional<std::uint64_t> find_endless_global_heap(const std::string& path,
                                                                    unsigned length_size);

}  // namespace keras::io::hdf5
