// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

namespace keras::detail {

/// What kerascpp itself may do with a Tensor's storage (tensor.h names this a friend).
struct StorageAccess {
  /// Makes every view of `target`'s storage show `source`'s bytes instead of copying them in,
  /// when `target` covers its storage whole and `source` is a contiguous tensor of its shape
  /// and dtype, starting on a 64-byte boundary, in another storage that borrows nothing
  /// itself (no chains, no cycles). Returns false, changing nothing, otherwise. The two then
  /// share the bytes: a later write through either is seen through both.
  [[nodiscard]] static bool share_bytes(Tensor& target, const Tensor& source);
};

}  // namespace keras::detail
