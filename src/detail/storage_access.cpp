// SPDX-License-Identifier: Apache-2.0
#include "detail/storage_access.h"

#include "detail/storage.h"

#include <cstdint>
#include <cstring>

namespace keras::detail {

bool StorageAccess::can_share_once_aligned(const Tensor& target, const Tensor& source) {
  const bool target_whole = target.defined() && target.is_contiguous() && target.offset_ == 0 &&
                            target.nbytes() == target.storage_->nbytes() &&
                            !target.storage_->lends() && target.nbytes() > 0;
  const bool source_fits = source.defined() && source.is_contiguous() &&
                           source.shape() == target.shape() && source.dtype() == target.dtype() &&
                           source.storage_ != target.storage_ && !source.storage_->borrows();
  return target_whole && source_fits;
}

bool StorageAccess::can_share(const Tensor& target, const Tensor& source) {
  return can_share_once_aligned(target, source) &&
         reinterpret_cast<std::uintptr_t>(source.raw_data()) % block_alignment == 0;
}

std::optional<Tensor> StorageAccess::move_to_boundary(const Tensor& values) {
  if (!values.defined() || !values.is_contiguous() || values.nbytes() == 0 ||
      values.storage_->lends()) {
    return std::nullopt;
  }
  // Blocks start on the boundary, so the one below the values lies inside their storage.
  const std::size_t past = reinterpret_cast<std::uintptr_t>(values.raw_data()) % block_alignment;
  const std::size_t element_size = size_of(values.dtype_);
  if (past % element_size != 0) return std::nullopt;
  Tensor moved(values.storage_, values.shape_, values.strides_,
               values.offset_ - static_cast<std::int64_t>(past / element_size), values.dtype_);
  std::memmove(const_cast<void*>(moved.raw_data()), values.raw_data(), values.nbytes());
  return moved;
}

bool StorageAccess::share_bytes(Tensor& target, const Tensor& source) {
  if (!can_share(target, source)) return false;
  // The source's storage is not const, only this view of it.
  target.storage_->borrow(source.storage_,
                          static_cast<std::byte*>(const_cast<void*>(source.raw_data())));
  return true;
}

const void* StorageAccess::storage_of(const Tensor& values) noexcept {
  return values.storage_.get();
}

std::size_t StorageAccess::storage_nbytes(const Tensor& values) noexcept {
  return values.storage_ ? values.storage_->nbytes() : 0;
}

}  // namespace keras::detail
