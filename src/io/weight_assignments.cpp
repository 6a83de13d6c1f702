// SPDX-License-Identifier: Apache-2.0
#include "io/weight_assignments.h"

#include "detail/storage_access.h"

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

namespace keras::io {
namespace {

using detail::StorageAccess;
using ByteRange = std::pair<const std::byte*, const std::byte*>;

// A borrowed value keeps its whole image alive, so an image's values are borrowed only when
// they make up nearly all of it (a file kerascpp wrote). An h5py file holds optimizer weights
// and unaligned datasets beside the few it happens to align: its values are copied and the
// image is freed after loading, as before borrowing existed.
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

// Which values may be borrowed: each one StorageAccess::can_share, none overlapping another
// (one dataset read for two weights), together nearly all of their image.
std::vector<bool> values_to_borrow(const std::vector<Assignment>& assignments) {
  std::vector<bool> borrow(assignments.size(), false);
  std::vector<ByteRange> chosen;
  std::map<const void*, std::size_t> chosen_bytes;  // per image
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const Tensor& value = assignments[i].value;
    const ByteRange range = bytes_of(value);
    if (StorageAccess::can_share(assignments[i].variable.value(), value) &&
        !overlaps_any(range, chosen)) {
      borrow[i] = true;
      chosen.push_back(range);
      chosen_bytes[StorageAccess::storage_of(value)] += value.nbytes();
    }
  }
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    const Tensor& value = assignments[i].value;
    borrow[i] = borrow[i] && static_cast<double>(chosen_bytes[StorageAccess::storage_of(value)]) >=
                                 least_borrowed_fraction *
                                     static_cast<double>(StorageAccess::storage_nbytes(value));
  }
  return borrow;
}

}  // namespace

void assign_all(hdf5::File& file, const std::vector<Assignment>& assignments) {
  file.close();
  const std::vector<bool> borrow = values_to_borrow(assignments);
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
