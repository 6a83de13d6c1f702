// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "detail/block_cache.h"

#include <cstddef>
#include <memory>

namespace keras::detail {

/// The bytes behind one or more Tensor views. 64-byte aligned so oneDNN's vector kernels
/// never need a copy for alignment (and a memory-bound kernel never loads across cache lines);
/// large blocks are reused (detail/block_cache.h). A storage may instead borrow 64-byte
/// aligned bytes inside another: a loaded weight shows its bytes in the file's image
/// (io/weight_assignments.h).
class Storage {
 public:
  enum class Contents { unset, zeros };
  explicit Storage(std::size_t nbytes, Contents contents = Contents::unset)
      : bytes_(contents == Contents::zeros ? allocate_zeroed_block(nbytes)
                                           : allocate_block(nbytes)),
        nbytes_(nbytes) {}
  ~Storage() {
    if (lender_ == nullptr) release_block(bytes_, nbytes_);
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  [[nodiscard]] std::byte* bytes() noexcept { return bytes_; }
  [[nodiscard]] std::size_t nbytes() const noexcept { return nbytes_; }

  [[nodiscard]] bool borrows() const noexcept { return lender_ != nullptr; }
  [[nodiscard]] bool lends() const noexcept { return lends_; }

  /// Shows `bytes`, nbytes() of them inside `lender`, instead of its own block, which it
  /// releases; keeps `lender` alive. Every view of this storage sees the new bytes. Only
  /// for a storage that lends nothing (its own block must not be in use elsewhere) and a
  /// lender that borrows nothing (no chains, no cycles).
  void borrow(std::shared_ptr<Storage> lender, std::byte* bytes) noexcept {
    if (lender_ == nullptr) release_block(bytes_, nbytes_);
    lender->lends_ = true;
    lender_ = std::move(lender);
    bytes_ = bytes;
  }

 private:
  std::byte* bytes_;
  std::size_t nbytes_;
  std::shared_ptr<Storage> lender_;  // set once the bytes are borrowed
  bool lends_ = false;
};

}  // namespace keras::detail
