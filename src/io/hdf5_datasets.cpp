// SPDX-License-Identifier: Apache-2.0
// Weight datasets: read as float32 with checks before any allocation, written as h5py does.
#include "io/hdf5_catalog.h"
#include "io/hdf5_file.h"
#include "io/hdf5_reader_process.h"
#include "io/hdf5_types.h"
#include "keras/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <optional>

namespace keras::io::hdf5 {
namespace {

std::string shape_text(const std::vector<hsize_t>& dims) {
  if (dims.size() == 1) return fmt::format("({},)", dims[0]);
  return fmt::format("({})", fmt::join(dims, ", "));
}

// The file's float32 values are this machine's floats, byte for byte.
bool holds_native_floats(hid_t type) {
  static_assert(std::endian::native == std::endian::little);
  return H5Tequal(type, H5T_IEEE_F32LE) > 0;
}

// No user block: H5Dget_offset counts from the image's first byte.
bool addresses_from_start(hid_t object) {
  const Handle file(H5Iget_file_id(object), H5Fclose);
  const Handle properties(file.valid() ? H5Fget_create_plist(file.get()) : H5I_INVALID_HID,
                          H5Pclose);
  hsize_t user_block = 1;
  return properties.valid() && H5Pget_userblock(properties.get(), &user_block) >= 0 &&
         user_block == 0;
}

bool is_bfloat16(const Group& group, std::string_view name, hid_t dataset, hid_t type) {
  if (H5Tget_size(type) != 2 || H5Aexists(dataset, "dtype") <= 0) return false;
  const Handle attribute(H5Aopen(dataset, "dtype", H5P_DEFAULT), H5Aclose);
  const Handle attribute_type(H5Aget_type(attribute.get()), H5Tclose);
  if (!attribute_type.valid() || H5Tget_class(attribute_type.get()) != H5T_STRING) return false;
  std::string text;
  if (H5Tis_variable_str(attribute_type.get()) > 0) {
    const Handle space(H5Aget_space(attribute.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) return false;
    const std::string where =
        fmt::format("attribute 'dtype' of dataset '{}'", group.child_path(name));
    text = group.read_variable_strings(attribute.get(), 1, where).front();
  } else {
    std::vector<char> buffer(H5Tget_size(attribute_type.get()));
    if (H5Aread(attribute.get(), attribute_type.get(), buffer.data()) < 0) return false;
    text.assign(buffer.data(), strnlen(buffer.data(), buffer.size()));
  }
  return text == "bfloat16";
}

// A dataset opened by HDF5 in this process, with its type and dataspace.
struct OpenDataset {
  Handle dataset;
  Handle type;
  Handle space;
};

// Opens dataset `name` of `group`; throws the FileError that says why it cannot (`where` names
// it).
OpenDataset open_dataset(const Group& group, std::string_view name, const std::string& where) {
  if (!group.has_dataset(name)) {
    if (group.has_group(name)) {
      group.fail(fmt::format("'{}' is a group, not a dataset", group.child_path(name)));
    }
    group.fail(fmt::format("group '{}' has no dataset '{}'", group.path(), name));
  }
  Handle dataset(H5Dopen2(group.id(), std::string(name).c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(dataset.valid() ? H5Dget_type(dataset.get()) : H5I_INVALID_HID, H5Tclose);
  Handle space(dataset.valid() ? H5Dget_space(dataset.get()) : H5I_INVALID_HID, H5Sclose);
  if (!type.valid() || !space.valid()) group.fail(fmt::format("{} cannot be opened", where));
  return {std::move(dataset), std::move(type), std::move(space)};
}

}  // namespace

std::string Group::dataset_dtype(std::string_view name) const {
  if (remote() != nullptr) return remote()->dataset_dtype(path_, name);
  const Handle dataset(H5Dopen2(id(), std::string(name).c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) fail(fmt::format("group '{}' has no dataset '{}'", path_, name));
  const Handle type(H5Dget_type(dataset.get()), H5Tclose);
  if (is_bfloat16(*this, name, dataset.get(), type.get())) return "bfloat16";
  return type_name(type.get());
}

Tensor Group::read_float32(std::string_view name) const {
  if (catalog() != nullptr) {
    if (const auto place = catalog()->float32_place(path_, name)) {
      if (std::ranges::find(place->shape, 0) != place->shape.end()) {
        return Tensor::empty(place->shape, DType::float32);
      }
      if (auto view = image().float32_view(place->offset, place->shape)) return *std::move(view);
    }
  }
  if (remote() != nullptr) return remote()->read_float32(path_, name);
  const std::string where = fmt::format("dataset '{}'", child_path(name));
  const auto [dataset, type, space] = open_dataset(*this, name, where);
  const bool bfloat16 = is_bfloat16(*this, name, dataset.get(), type.get());
  if (H5Tget_class(type.get()) != H5T_FLOAT && !bfloat16) {
    fail(fmt::format("{} holds {} values; weights must be float32, float64, float16 or bfloat16",
                     where, type_name(type.get())));
  }

  // The shape, checked before anything is allocated.
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || H5Sget_simple_extent_type(space.get()) == H5S_NULL) {
    fail(fmt::format("{} has no shape", where));
  }
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  std::uint64_t elements = 1;
  bool overflow = false;
  for (const hsize_t dim : dims) {
    overflow = overflow || __builtin_mul_overflow(elements, dim, &elements);
  }
  if (overflow || elements > max_dataset_elements) {
    fail(fmt::format("{} has shape {}, more than the {} elements kerascpp reads", where,
                     shape_text(dims), max_dataset_elements));
  }
  const std::uint64_t stored_bytes = elements * H5Tget_size(type.get());
  const Handle create_list(H5Dget_create_plist(dataset.get()), H5Pclose);
  std::optional<haddr_t> data_offset;
  if (create_list.valid() && H5Pget_layout(create_list.get()) == H5D_CONTIGUOUS && elements > 0) {
    // Uncompressed data lies in one block: it must be there, whole, inside the file.
    const haddr_t offset = H5Dget_offset(dataset.get());
    hsize_t file_size = 0;
    const Handle file(H5Iget_file_id(id()), H5Fclose);
    if (!file.valid() || H5Fget_filesize(file.get(), &file_size) < 0) file_size = 0;
    if (offset == HADDR_UNDEF || H5Dget_storage_size(dataset.get()) < stored_bytes ||
        offset + stored_bytes > file_size) {
      fail(
          fmt::format("{} of shape {} needs {} bytes of data, which the file does not hold "
                      "(it is truncated or damaged)",
                      where, shape_text(dims), stored_bytes));
    }
    data_offset = offset;
  }

  std::vector<std::int64_t> shape(dims.begin(), dims.end());
  if (data_offset && !bfloat16 && holds_native_floats(type.get()) && addresses_from_start(id())) {
    if (std::optional<Tensor> view = image().float32_view(*data_offset, shape)) return *view;
  }
  Tensor values = Tensor::empty(shape, DType::float32);
  if (elements == 0) return values;
  float* out = values.data<float>();
  if (bfloat16) {
    std::vector<std::uint16_t> raw(elements);
    if (H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) {
      fail(fmt::format("{} cannot be read (the file is damaged)", where));
    }
    const bool big_endian = H5Tget_order(type.get()) == H5T_ORDER_BE;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      std::uint16_t bits = raw[i];
      if (big_endian) bits = static_cast<std::uint16_t>((bits >> 8) | (bits << 8));
      const std::uint32_t wide = std::uint32_t{bits} << 16;
      std::memcpy(out + i, &wide, sizeof(float));
    }
    return values;
  }
  if (H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
    fail(fmt::format("{} cannot be read (the file is damaged)", where));
  }
  return values;
}

std::int64_t Group::read_int64_scalar(std::string_view name) const {
  if (catalog() != nullptr) {
    if (const auto place = catalog()->integer_scalar_place(path_, name)) {
      // Little-endian bytes, widened as their sign says (a uint64 above INT64_MAX wraps, where
      // HDF5's conversion would clip it: no Keras file holds one).
      const std::span<const unsigned char> bytes = image().bytes(place->offset, place->size);
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < bytes.size(); ++i) bits |= std::uint64_t{bytes[i]} << (8 * i);
      const unsigned unused = 64 - 8 * place->size;
      if (place->is_signed && unused > 0) {
        return static_cast<std::int64_t>(bits << unused) >> unused;
      }
      return static_cast<std::int64_t>(bits);
    }
  }
  if (remote() != nullptr) return remote()->read_int64_scalar(path_, name);
  const std::string where = fmt::format("dataset '{}'", child_path(name));
  const auto [dataset, type, space] = open_dataset(*this, name, where);
  if (H5Tget_class(type.get()) != H5T_INTEGER) {
    fail(fmt::format("{} holds {} values, not integers", where, type_name(type.get())));
  }
  if (const hssize_t values = H5Sget_simple_extent_npoints(space.get()); values != 1) {
    fail(fmt::format("{} holds {} values, not one", where, values));
  }
  std::int64_t value = 0;
  if (H5Dread(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) < 0) {
    fail(fmt::format("{} cannot be read (the file is damaged)", where));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Writers

namespace {

Handle link_create_list() {
  Handle list(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(list.get(), 1);  // names like "conv2d/kernel:0"
  return list;
}

Handle dataspace_for(const std::vector<std::int64_t>& shape) {
  if (shape.empty()) return Handle(H5Screate(H5S_SCALAR), H5Sclose);
  const std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
}

}  // namespace

void Group::write_float32(std::string_view name, const Tensor& values) const {
  const std::string where = fmt::format("dataset '{}'", child_path(name));
  if (values.dtype() != DType::float32) {
    fail_write(fmt::format("{} must be float32, got {}", where, name_of(values.dtype())));
  }
  const Tensor contiguous = values.contiguous();
  const Handle space = dataspace_for(contiguous.shape());
  const Handle links = link_create_list();
  const Handle dataset(H5Dcreate2(id(), std::string(name).c_str(), H5T_IEEE_F32LE, space.get(),
                                  links.get(), H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
  if (!dataset.valid()) fail_write(fmt::format("{} cannot be created", where));
  if (contiguous.size() > 0 && H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL,
                                        H5P_DEFAULT, contiguous.data<float>()) < 0) {
    fail_write(fmt::format("{} cannot be written", where));
  }
}

void Group::write_int64_scalar(std::string_view name, std::int64_t value) const {
  const std::string where = fmt::format("dataset '{}'", child_path(name));
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle links = link_create_list();
  const Handle dataset(H5Dcreate2(id(), std::string(name).c_str(), H5T_STD_I64LE, space.get(),
                                  links.get(), H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
  if (!dataset.valid()) fail_write(fmt::format("{} cannot be created", where));
  if (H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) < 0) {
    fail_write(fmt::format("{} cannot be written", where));
  }
}

}  // namespace keras::io::hdf5
