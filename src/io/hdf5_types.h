// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <hdf5.h>

#include <string>

namespace keras::io::hdf5 {

/// An HDF5 datatype in NumPy's words: "float32", "float16", "int64", "uint8", "string", ...
[[nodiscard]] std::string type_name(hid_t type);

/// Frees what H5Aread/H5Dread allocated for variable-length strings.
void reclaim_variable_strings(hid_t memory_type, hid_t space, void* buffer) noexcept;

}  // namespace keras::io::hdf5
