// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_global_heaps.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace keras::io::hdf5 {
namespace {

std::string damaged(std::uint64_t collection, std::string_view problem) {
  return fmt::format(
      "the global heap at byte {} (where variable-length strings are kept) is damaged: {}",
      collection, problem);
}

GlobalHeapObject failure(std::string problem) { return {{}, std::move(problem)}; }

}  // namespace

std::uint64_t read_little_endian(std::span<const unsigned char> bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

GlobalHeapObject find_global_heap_object(std::span<const unsigned char> file, GlobalHeapId id,
                                         unsigned length_size) {
  const std::size_t header_size = 8 + length_size;         // "GCOL", version, 3 reserved, size
  const std::size_t object_header_size = 8 + length_size;  // index, refcount, 4 reserved, size
  const std::uint64_t at = id.collection;
  if (at >= file.size() || file.size() - at < header_size ||
      std::string_view(reinterpret_cast<const char*>(file.data() + at), 4) != "GCOL") {
    return failure(fmt::format("there is no global heap at byte {}", at));
  }
  const auto heap = file.subspan(at);
  if (heap[4] != 1) return failure(damaged(at, fmt::format("its version is {}, not 1", heap[4])));
  const std::uint64_t declared = read_little_endian(heap.subspan(8, length_size));
  if (declared > heap.size()) {
    return failure(damaged(at, fmt::format("it claims {} bytes, more than the {} left in the file",
                                           declared, heap.size())));
  }
  // Walks the object list as H5HG__cache_heap_deserialize does; a later entry with the same
  // index replaces an earlier one there, so the last one found is the one HDF5 would read.
  GlobalHeapObject found =
      failure(fmt::format("the global heap at byte {} holds no object {}", at, id.index));
  std::uint64_t offset = header_size;
  while (offset < declared) {
    if (offset + object_header_size > declared) break;  // trailing free space
    const std::uint64_t index = read_little_endian(heap.subspan(offset, 2));
    const std::uint64_t size = read_little_endian(heap.subspan(offset + 8, length_size));
    if (index == 0 && size == 0)
      return failure(damaged(at, "it lists a free-space object of size 0"));
    const std::uint64_t room = declared - offset - (index == 0 ? 0 : object_header_size);
    if (size > room) {
      return failure(damaged(at, fmt::format("its object {} claims {} bytes, more than the {} left "
                                             "in the heap",
                                             index, size, room)));
    }
    if (index != 0 && index == id.index) {
      found = {heap.subspan(offset + object_header_size, size), {}};
    }
    offset += index == 0 ? size : object_header_size + (size + 7) / 8 * 8;  // 8-byte aligned
  }
  return found;
}

HeapString read_heap_string(std::span<const unsigned char> file,
                            std::span<const unsigned char> descriptor, unsigned address_size,
                            std::uint64_t base, unsigned length_size, std::string_view where) {
  const std::uint64_t length = read_little_endian(descriptor.first(4));
  const std::uint64_t address = read_little_endian(descriptor.subspan(4, address_size));
  const auto index = static_cast<std::uint32_t>(read_little_endian(descriptor.last(4)));
  if (address == 0) return {};  // HDF5's null element, read as an empty string
  const GlobalHeapObject object =
      find_global_heap_object(file, {base + address, index}, length_size);
  if (!object.problem.empty()) {
    return {{}, fmt::format("{} cannot be read: {}", where, object.problem)};
  }
  if (length > object.bytes.size()) {
    return {{},
            fmt::format("{} claims a string of {} bytes, but its heap object holds {}", where,
                        length, object.bytes.size())};
  }
  const auto text = object.bytes.first(length);
  return {std::string(text.begin(), std::find(text.begin(), text.end(), 0)), {}};
}

}  // namespace keras::io::hdf5
