// SPDX-License-Identifier: Apache-2.0
#include "detail/storage_access.h"

#include "detail/storage.h"

#include <cstdint>

namespace keras::detail {

bool StorageAccess::share_bytes(Tensor& target, const Tensor& source) {
  const bool target_whole = target.defined() && target.is_contiguous() && target.offset_ == 0 &&
                            target.nbytes() == target.storage_->nbytes();
  const bool source_fits = source.defined() && source.is_contiguous() &&
                           source.shape() == target.shape() && source.dtype() == target.dtype() &&
                           source.storage_ != target.storage_ && !source.storage_->borrows();
  if (!target_whole || !source_fits || target.nbytes() == 0) return false;
  std::byte* bytes = source.storage_->bytes() +
                     source.offset_ * static_cast<std::int64_t>(size_of(source.dtype()));
  if (reinterpret_cast<std::uintptr_t>(bytes) % block_alignment != 0) return false;
  target.storage_->borrow(source.storage_, bytes);
  return true;
}

}  // namespace keras::detail
