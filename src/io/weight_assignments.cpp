// SPDX-License-Identifier: Apache-2.0
#include "io/weight_assignments.h"

#include "detail/block_cache.h"
#include "detail/storage_access.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace keras::io {
namespace {

using detail::StorageAccess;
using ByteRange = std::pair<const std::byte*, const std::byte*>;

// A borrowed value keeps its whole image alive, so an image's values are borrowed only when
// they make up nearly all of it. A file that also holds optimizer weights this load does not
// restore (a model loaded without compile) has its values copied and the image freed.
constexpr double least_borrowed_fraction = 0.9;

ByteRange bytes_of(const Tensor& values) {
  const auto* begin = static_cast<const std::byte*>(values.raw_data());
  return {begin, begin + values.nbytes()};
}

bool overlaps_any(const ByteRange& range, const std::vector<ByteRange>& ranges) {
  for (const ByteRange& other : ranges) {
    if (range.first < other.second && other.first < range.second) return true;
  }
  return false;
}

// Clears `borrow` for every value of an image whose borrowed values do not make up nearly all
// of it.
void keep_images_mostly_borrowed(const std::vector<Assignment>& assignments,
                                 std::vector<bool>& borrow) {
  std::map<const void*, std::size_t> borrowed_bytes;  // per image
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    if (borrow[i]) {
      borrowed_bytes[StorageAccess::storage_of(assignments[i].value)] +=
          assignments[i].value.nbytes();
    }
  }
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const Tensor& value = assignments[i].value;
    borrow[i] =
        borrow[i] &&
        static_cast<double>(borrowed_bytes[StorageAccess::storage_of(value)]) >=
            least_borrowed_fraction * static_cast<double>(StorageAccess::storage_nbytes(value));
  }
}

// Which values may be borrowed: each one StorageAccess::can_share_once_aligned, none
// overlapping another (one dataset read for two weights), together nearly all of their image.
std::vector<bool> values_to_borrow(const std::vector<Assignment>& assignments) {
  std::vector<bool> borrow(assignments.size(), false);
  std::vector<ByteRange> chosen;
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const Tensor& value = assignments[i].value;
    const ByteRange range = bytes_of(value);
    if (StorageAccess::can_share_once_aligned(assignments[i].variable.value(), value) &&
        !overlaps_any(range, chosen)) {
      borrow[i] = true;
      chosen.push_back(range);
    }
  }
  keep_images_mostly_borrowed(assignments, borrow);
  return borrow;
}

// The bytes from the 64-byte boundary at or below `value`'s start to its end: what moving it
// to that boundary writes.
ByteRange reach_of_move(const Tensor& value) {
  const ByteRange range = bytes_of(value);
  const auto past = reinterpret_cast<std::uintptr_t>(range.first) % detail::block_alignment;
  return {range.first - past, range.second};
}

// h5py places datasets where they fall, mostly off 64-byte boundaries, where a variable should
// not borrow them (io/weight_assignments.h). Such a value is moved down to the boundary inside
// its image, when no other value of this load lies in the bytes the move writes: those are
// HDF5's metadata or padding, which nothing reads once the file is closed. That costs a move
// within memory the load has just written instead of a copy into fresh pages (a 100 MB model
// saved by Keras: docs/benchmarks.md). A value that cannot move is copied.
void move_borrowed_values_to_boundaries(std::vector<Assignment>& assignments,
                                        std::vector<bool>& borrow) {
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const ByteRange reach = reach_of_move(assignments[i].value);
    if (!borrow[i] || reach.first == bytes_of(assignments[i].value).first) continue;
    bool free = true;
    for (std::size_t j = 0; j < assignments.size() && free; ++j) {
      free = j == i || !overlaps_any(bytes_of(assignments[j].value), {reach});
    }
    std::optional<Tensor> moved;
    if (free) moved = StorageAccess::move_to_boundary(assignments[i].value);
    if (moved) {
      assignments[i].value = *std::move(moved);
    } else {
      borrow[i] = false;
    }
  }
}

}  // namespace

void assign_all(hdf5::File& file, std::vector<Assignment> assignments) {
  file.close();
  std::vector<bool> borrow = values_to_borrow(assignments);
  move_borrowed_values_to_boundaries(assignments, borrow);
  keep_images_mostly_borrowed(assignments, borrow);  // again, without the values left to copy
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    Variable variable = assignments[i].variable;
    if (borrow[i] && StorageAccess::share_bytes(variable.value(), assignments[i].value)) {
      variable.mark_modified();
    } else {
      variable.assign(assignments[i].value);
    }
  }
}

}  // namespace keras::io
