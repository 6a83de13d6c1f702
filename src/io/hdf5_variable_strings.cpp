// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_variable_strings.h"

#include "io/hdf5_global_heaps.h"
#include "io/hdf5_handle.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <span>

namespace keras::io::hdf5 {
namespace {

// The file's bytes, mapped read-only.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return;
    struct stat status {};
    if (::fstat(descriptor, &status) == 0 && status.st_size > 0) {
      size_ = static_cast<std::size_t>(status.st_size);
      void* address = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, descriptor, 0);
      data_ = address == MAP_FAILED ? nullptr : static_cast<const unsigned char*>(address);
    }
    ::close(descriptor);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  [[nodiscard]] std::span<const unsigned char> bytes() const {
    return data_ == nullptr ? std::span<const unsigned char>{} : std::span(data_, size_);
  }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

// The sizes a file's superblock sets for addresses and lengths, and where its addresses count
// from (after a user block).
struct FileLayout {
  std::size_t address_size = 0;
  std::size_t length_size = 0;
  std::uint64_t base = 0;
};

bool read_layout(hid_t file, FileLayout& layout) {
  const Handle properties(H5Fget_create_plist(file), H5Pclose);
  hsize_t user_block = 0;
  if (!properties.valid() ||
      H5Pget_sizes(properties.get(), &layout.address_size, &layout.length_size) < 0 ||
      H5Pget_userblock(properties.get(), &user_block) < 0) {
    return false;
  }
  layout.base = user_block;
  return layout.address_size > 0 && layout.address_size <= 8 && layout.length_size > 0 &&
         layout.length_size <= 8;
}

// On disk a variable-length element is a descriptor: the sequence's length (4 bytes), the
// address of its global heap collection and its index there (4 bytes). Converting a
// variable-length string to an opaque type carrying this tag hands those bytes over as they are.
constexpr const char* descriptor_tag = "kerascpp: variable-length descriptor";

std::size_t descriptor_size(const FileLayout& layout) { return 4 + layout.address_size + 4; }

bool is_descriptor_type(hid_t type) {
  if (H5Tget_class(type) != H5T_OPAQUE) return false;
  char* tag = H5Tget_tag(type);
  const bool tagged = tag != nullptr && std::string_view(tag) == descriptor_tag;
  H5free_memory(tag);
  return tagged;
}

// An HDF5 conversion function (H5T_conv_t) from a variable-length string on disk to the
// descriptor type. The element sizes are equal, so the buffer already holds the result.
herr_t keep_descriptors(hid_t source, hid_t destination, H5T_cdata_t* data, std::size_t,
                        std::size_t, std::size_t, void*, void*, hid_t) {
  switch (data->command) {
    case H5T_CONV_INIT:
      data->need_bkg = H5T_BKG_NO;
      return H5Tis_variable_str(source) > 0 && is_descriptor_type(destination) &&
                     H5Tget_size(source) == H5Tget_size(destination)
                 ? 0
                 : -1;
    case H5T_CONV_CONV:
    case H5T_CONV_FREE:
      return 0;
    default:
      return -1;
  }
}

void register_descriptor_conversion() {
  static std::once_flag once;
  std::call_once(once, [] {
    const Handle string(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(string.get(), H5T_VARIABLE);
    const Handle opaque(H5Tcreate(H5T_OPAQUE, 1), H5Tclose);
    H5Tregister(H5T_PERS_SOFT, "kerascpp: keep variable-length descriptors", string.get(),
                opaque.get(), keep_descriptors);
  });
}

// HDF5 reads through its cache; a file open for writing is flushed so its bytes are current.
void flush_if_writable(hid_t file) {
  unsigned intent = 0;
  if (H5Fget_intent(file, &intent) >= 0 && (intent & H5F_ACC_RDWR) != 0) {
    H5Fflush(file, H5F_SCOPE_LOCAL);
  }
}

VariableStrings failure(std::string problem) { return {{}, std::move(problem)}; }

}  // namespace

VariableStrings read_variable_strings(hid_t file, std::span<const unsigned char> image,
                                      const std::string& path, hid_t attribute, std::size_t count,
                                      std::string_view where) {
  FileLayout layout;
  if (!read_layout(file, layout)) return failure("its creation properties cannot be read");
  register_descriptor_conversion();
  const std::size_t size = descriptor_size(layout);
  const Handle type(H5Tcreate(H5T_OPAQUE, size), H5Tclose);
  H5Tset_tag(type.get(), descriptor_tag);
  std::vector<unsigned char> descriptors(count * size);
  if (!type.valid() || H5Aread(attribute, type.get(), descriptors.data()) < 0) {
    return failure(fmt::format("{} cannot be read", where));
  }
  std::optional<MappedFile> mapped;
  if (image.empty()) {
    flush_if_writable(file);
    image = mapped.emplace(path).bytes();
  }
  VariableStrings result;
  result.strings.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto descriptor = std::span(descriptors).subspan(i * size, size);
    HeapString string =
        read_heap_string(image, descriptor, static_cast<unsigned>(layout.address_size), layout.base,
                         static_cast<unsigned>(layout.length_size), where);
    if (!string.problem.empty()) return failure(std::move(string.problem));
    result.strings.push_back(std::move(string.text));
  }
  return result;
}

}  // namespace keras::io::hdf5
