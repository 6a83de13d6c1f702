// SPDX-License-Identifier: Apache-2.0
#include "io/weight_assignments.h"

#include "detail/storage_access.h"

#include <cstddef>
#include <utility>
#include <vector>

namespace keras::io {
namespace {

using ByteRange = std::pair<const std::byte*, const std::byte*>;

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

}  // namespace

void assign_all(hdf5::File& file, const std::vector<Assignment>& assignments) {
  file.close();
  std::vector<ByteRange> shared;
  for (const Assignment& assignment : assignments) {
    Variable variable = assignment.variable;
    const ByteRange range = bytes_of(assignment.value);
    const bool shares = variable.value().shape() == assignment.value.shape() &&
                        !overlaps_any(range, shared) &&
                        detail::StorageAccess::share_bytes(variable.value(), assignment.value);
    if (shares) {
      shared.push_back(range);
      variable.mark_modified();
    } else {
      variable.assign(assignment.value);
    }
  }
}

}  // namespace keras::io
