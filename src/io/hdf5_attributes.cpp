// SPDX-License-Identifier: Apache-2.0
// String attributes of HDF5 groups, as h5py writes them for Keras: fixed-length byte strings,
// variable-length str, scalar or arrays, split into `name0`, `name1`, ... when large.
#include "io/hdf5_catalog.h"
#include "io/hdf5_file.h"
#include "io/hdf5_reader_process.h"
#include "io/hdf5_types.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>

namespace keras::io::hdf5 {
namespace {

// h5py's (and Keras's) limit for one attribute before it splits a list into chunks.
constexpr std::size_t object_header_limit = 64512;
// Nothing Keras writes comes near this; it bounds what a damaged file can make us allocate.
constexpr hsize_t max_attribute_bytes = hsize_t{1} << 28;
// A variable-length element on disk: 4-byte length, heap address (at most 8 bytes), 4-byte index.
constexpr hsize_t max_descriptor_bytes = 16;

std::string chunk_name(std::string_view name, std::size_t index) {
  return fmt::format("{}{}", name, index);
}

bool attribute_exists(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

}  // namespace

bool Group::has_attribute(std::string_view name) const {
  if (catalog() != nullptr) {
    const auto whole = catalog()->has_attribute(path_, name);
    const auto first_chunk = catalog()->has_attribute(path_, chunk_name(name, 0));
    if (whole && first_chunk) return *whole || *first_chunk;
  }
  if (remote() != nullptr) return remote()->has_attribute(path_, name);
  return attribute_exists(id(), std::string(name)) || attribute_exists(id(), chunk_name(name, 0));
}

std::vector<std::string> Group::read_strings(std::string_view name, bool single) const {
  const std::string where = fmt::format("attribute '{}' of group '{}'", name, path_);
  const Handle attribute(H5Aopen(id(), std::string(name).c_str(), H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) fail(fmt::format("{} cannot be opened", where));
  const Handle type(H5Aget_type(attribute.get()), H5Tclose);
  const Handle space(H5Aget_space(attribute.get()), H5Sclose);
  if (!type.valid() || !space.valid()) fail(fmt::format("{} cannot be read", where));
  const H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
  const hssize_t count = space_class == H5S_NULL ? 0 : H5Sget_simple_extent_npoints(space.get());
  if (count < 0 || H5Sget_simple_extent_ndims(space.get()) > 1) {
    fail(fmt::format("{} is not a list of strings", where));
  }
  if (single && count != 1) {
    fail(fmt::format("attribute '{}' of group '{}' holds {} strings, expected one", name, path_,
                     count));
  }
  if (count == 0) return {};  // h5py writes an empty list as an empty float64 array
  if (H5Tget_class(type.get()) != H5T_STRING) {
    fail(fmt::format("{} holds {} values, not strings", where, type_name(type.get())));
  }
  const auto elements = static_cast<std::size_t>(count);
  if (H5Tis_variable_str(type.get()) > 0) {
    if (elements > max_attribute_bytes / max_descriptor_bytes)
      fail(fmt::format("{} is too large", where));
    return read_variable_strings(attribute.get(), elements, where);
  }
  const std::size_t size = H5Tget_size(type.get());
  if (size == 0 || elements > max_attribute_bytes / size)
    fail(fmt::format("{} is too large", where));
  std::vector<unsigned char> buffer(elements * size);
  if (H5Aread(attribute.get(), type.get(), buffer.data()) < 0) {
    fail(fmt::format("{} cannot be read", where));
  }
  const H5T_str_t pad = H5Tget_strpad(type.get());
  std::vector<std::string> strings;
  strings.reserve(elements);
  for (std::size_t i = 0; i < elements; ++i) {
    strings.push_back(
        fixed_string_element(std::span(buffer).subspan(i * size, size), pad == H5T_STR_SPACEPAD));
  }
  return strings;
}

std::string Group::string_attribute(std::string_view name) const {
  if (catalog() != nullptr) {
    auto strings = catalog()->strings(path_, name);
    if (strings && strings->size() == 1) return std::move(strings->front());
  }
  if (remote() != nullptr) return remote()->string_attribute(path_, name);
  if (!attribute_exists(id(), std::string(name))) {
    fail(fmt::format("group '{}' has no attribute '{}'", path_, name));
  }
  std::vector<std::string> strings = read_strings(name, /*single=*/true);
  return std::move(strings.front());
}

std::optional<std::vector<std::string>> Group::known_string_list(std::string_view name) const {
  if (catalog()->has_attribute(path_, name) == true) return catalog()->strings(path_, name);
  std::vector<std::string> strings;
  std::size_t chunk = 0;
  for (; catalog()->has_attribute(path_, chunk_name(name, chunk)) == true; ++chunk) {
    auto part = catalog()->strings(path_, chunk_name(name, chunk));
    if (!part) return std::nullopt;
    strings.insert(strings.end(), std::make_move_iterator(part->begin()),
                   std::make_move_iterator(part->end()));
  }
  if (chunk == 0) return std::nullopt;  // no such attribute: HDF5's message
  return strings;
}

std::vector<std::string> Group::string_list_attribute(std::string_view name) const {
  if (catalog() != nullptr) {
    if (auto strings = known_string_list(name)) return *std::move(strings);
  }
  if (remote() != nullptr) return remote()->string_list_attribute(path_, name);
  if (attribute_exists(id(), std::string(name))) return read_strings(name);
  if (!attribute_exists(id(), chunk_name(name, 0))) {
    fail(fmt::format("group '{}' has no attribute '{}'", path_, name));
  }
  std::vector<std::string> strings;
  for (std::size_t chunk = 0; attribute_exists(id(), chunk_name(name, chunk)); ++chunk) {
    std::vector<std::string> part = read_strings(chunk_name(name, chunk));
    strings.insert(strings.end(), std::make_move_iterator(part.begin()),
                   std::make_move_iterator(part.end()));
  }
  return strings;
}

// ---------------------------------------------------------------------------------------------
// Writers

void Group::write_string_attribute(std::string_view name, std::string_view value) const {
  const std::string where = fmt::format("attribute '{}' of group '{}'", name, path_);
  const Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle attribute(H5Acreate2(id(), std::string(name).c_str(), type.get(), space.get(),
                                    H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
  const std::string text(value);
  const char* pointer = text.c_str();
  if (!attribute.valid() || H5Awrite(attribute.get(), type.get(), &pointer) < 0) {
    fail_write(fmt::format("{} cannot be written", where));
  }
}

namespace {

// One attribute holding `values` as NumPy's `S` array (fixed-length, null-padded), or as an
// empty float64 array when there are none, as h5py writes `np.asarray([])`.
void write_fixed_strings(const Group& group, const std::string& name,
                         std::span<const std::string> values) {
  const hsize_t count = values.size();
  const Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  std::size_t width = 1;
  for (const std::string& value : values) width = std::max(width, value.size());
  Handle type(H5Tcopy(values.empty() ? H5T_IEEE_F64LE : H5T_C_S1), H5Tclose);
  if (!values.empty()) {
    H5Tset_size(type.get(), width);
    H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  }
  const Handle attribute(
      H5Acreate2(group.id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  std::vector<char> buffer(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::copy(values[i].begin(), values[i].end(), buffer.begin() + static_cast<long>(i * width));
  }
  if (!attribute.valid() ||
      (!values.empty() && H5Awrite(attribute.get(), type.get(), buffer.data()) < 0)) {
    group.fail_write(
        fmt::format("attribute '{}' of group '{}' cannot be written", name, group.path()));
  }
}

}  // namespace

void Group::write_string_list_attribute(std::string_view name,
                                        const std::vector<std::string>& values) const {
  // Keras's save_attributes_to_hdf5_group: split into the fewest equal chunks (numpy's
  // array_split) that each fit the object header.
  std::size_t width = 1;
  for (const std::string& value : values) width = std::max(width, value.size());
  if (width > object_header_limit) {
    fail_write(fmt::format("attribute '{}' of group '{}' has a string longer than {} bytes", name,
                           path_, object_header_limit));
  }
  std::size_t chunks = 1;
  while ((values.size() + chunks - 1) / chunks * width > object_header_limit) ++chunks;
  if (chunks == 1) {
    write_fixed_strings(*this, std::string(name), values);
    return;
  }
  const std::size_t base = values.size() / chunks;
  const std::size_t extra = values.size() % chunks;
  std::size_t start = 0;
  for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
    const std::size_t length = base + (chunk < extra ? 1 : 0);
    write_fixed_strings(*this, chunk_name(name, chunk),
                        std::span<const std::string>(values).subspan(start, length));
    start += length;
  }
}

}  // namespace keras::io::hdf5
