// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_global_heaps.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fcntl.h>
#include <span>
#include <string_view>
#include <utility>

namespace keras::io::hdf5 {
namespace {

// The file's bytes, mapped read-only for the scan.
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

std::uint64_t little_endian(std::span<const unsigned char> bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

// Walks the object list of the collection at the start of `heap` as H5HG__cache_heap_deserialize
// does (HDF5 1.10.8) and says what would go wrong, if anything.
std::optional<std::string> walk_problem(std::span<const unsigned char> heap, unsigned length_size) {
  const std::size_t header_size = 8 + length_size;         // "GCOL", version, 3 reserved, size
  const std::size_t object_header_size = 8 + length_size;  // index, refcount, 4 reserved, size
  if (heap.size() < header_size || heap[4] != 1) return std::nullopt;
  const std::uint64_t declared = little_endian(heap.subspan(8, length_size));
  // HDF5 reads the whole collection first; one reaching past the end of the file fails there.
  if (declared > heap.size()) return std::nullopt;
  std::uint64_t offset = header_size;
  while (offset < declared) {
    if (offset + object_header_size > declared) return std::nullopt;  // trailing free space
    const std::uint64_t index = little_endian(heap.subspan(offset, 2));
    const std::uint64_t size = little_endian(heap.subspan(offset + 8, length_size));
    if (index == 0 && size == 0) return "it lists a free-space object of size 0";
    const std::uint64_t room = declared - offset - (index == 0 ? 0 : object_header_size);
    if (size > room) {
      return fmt::format("its object {} claims {} bytes, more than the {} left in the heap", index,
                         size, room);
    }
    offset += index == 0 ? size : object_header_size + (size + 7) / 8 * 8;  // 8-byte aligned
  }
  return std::nullopt;
}

}  // namespace

std::optional<DamagedGlobalHeap> find_damaged_global_heap(const std::string& path,
                                                          unsigned length_size) {
  if (length_size == 0 || length_size > 8) return std::nullopt;
  const MappedFile file(path);
  const auto bytes = file.bytes();
  constexpr std::string_view signature = "GCOL";
  const auto* begin = bytes.data();
  std::size_t from = 0;
  while (from + signature.size() <= bytes.size()) {
    const void* found =
        ::memmem(begin + from, bytes.size() - from, signature.data(), signature.size());
    if (found == nullptr) break;
    const auto offset = static_cast<std::size_t>(static_cast<const unsigned char*>(found) - begin);
    if (auto problem = walk_problem(bytes.subspan(offset), length_size)) {
      return DamagedGlobalHeap{offset, std::move(*problem)};
    }
    from = offset + 1;
  }
  return std::nullopt;
}

}  // namespace keras::io::hdf5
