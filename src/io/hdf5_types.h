// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <hdf5.h>

#include <string>

namespace keras::io::hdf5 {

/// An HDF5 datatype in NumPy's words: "float32", "float16", "int64", "uint8", "string", ...
[[nodiscard]] std::string type_name(hid_t type);

}  // namespace keras::io::hdf5
