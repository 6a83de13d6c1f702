// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <hdf5.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keras::io::hdf5 {

/// The strings of a variable-length string attribute, or why they cannot be read.
struct VariableStrings {
  std::vector<std::string> strings;
  std::string problem;  // empty when read; otherwise the message after "Cannot read ...: "
};

/// Reads the `count` strings of `attribute` (of the file `file`) from the file's bytes: `image`
/// when the file was opened from memory, otherwise the file at `path`, mapped. HDF5 1.10.8's own
/// conversion (H5Aread -> H5T__conv_vlen -> H5HG_read) trusts the lengths and heap ids a file
/// claims: it allocates gigabytes, copies from wild addresses or loops forever on damaged files.
/// Here HDF5 hands over only the descriptors (length, heap collection, index), which are checked
/// against the heap before a byte is copied. `where` names the attribute in messages.
[[nodiscard]] VariableStrings read_variable_strings(hid_t file,
                                                    std::span<const unsigned char> image,
                                                    const std::string& path, hid_t attribute,
                                                    std::size_t count, std::string_view where);

}  // namespace keras::io::hdf5
