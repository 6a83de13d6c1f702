// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "detail/block_cache.h"

#include <cstddef>

namespace keras::detail {

/// The bytes behind one or more Tensor views. 64-byte aligned so oneDNN's vector kernels
/// never need a copy for alignment; large blocks are reused (detail/block_cache.h).
class Storage {
 public:
  enum class Contents { unset, zeros };
  explicit Storage(std::size_t nbytes, Contents contents = Contents::unset)
      : bytes_(contents == Contents::zeros ? allocate_zeroed_block(nbytes)
                                           : allocate_block(nbytes)),
        nbytes_(nbytes) {}
  ~Storage() { release_block(bytes_, nbytes_); }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  [[nodiscard]] std::byte* bytes() noexcept { return bytes_; }
  [[nodiscard]] std::size_t nbytes() const noexcept { return nbytes_; }

 private:
  std::byte* bytes_;
  std::size_t nbytes_;
};

}  // namespace keras::detail
