// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstddef>
#include <optional>

namespace keras::detail {

/// What kerascpp itself may do with a Tensor's storage (tensor.h names this a friend).
struct StorageAccess {
  /// Whether share_bytes(target, source) would share: `target` covers its storage whole and
  /// lends none of it; `source` is a contiguous tensor of its shape and dtype, starting on a
  /// 64-byte boundary, in another storage that borrows nothing itself (no chains, no cycles).
  [[nodiscard]] static bool can_share(const Tensor& target, const Tensor& source);
  /// The same, wherever `source` starts (a source moved by move_to_boundary would qualify).
  [[nodiscard]] static bool can_share_once_aligned(const Tensor& target, const Tensor& source);
  /// Moves the bytes of the contiguous `values` down to the 64-byte boundary at or below their
  /// start, inside their storage, and returns the view of them there; `values` then shows other
  /// bytes. Nothing, and nothing moved, when the storage lends bytes to another. The bytes moved
  /// over are overwritten: the caller knows that nothing reads them.
  [[nodiscard]] static std::optional<Tensor> move_to_boundary(const Tensor& values);
  /// Makes every view of `target`'s storage show `source`'s bytes instead of copying them in,
  /// when can_share; returns false, changing nothing, otherwise. The two then share the
  /// bytes: a later write through either is seen through both.
  [[nodiscard]] static bool share_bytes(Tensor& target, const Tensor& source);
  /// The storage `values` views (nullptr when undefined) and how many bytes it holds.
  [[nodiscard]] static const void* storage_of(const Tensor& values) noexcept;
  [[nodiscard]] static std::size_t storage_nbytes(const Tensor& values) noexcept;
};

}  // namespace keras::detail
