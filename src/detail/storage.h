// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <new>

namespace keras::detail {

/// The bytes behind one or more Tensor views. 64-byte aligned so oneDNN's vector kernels
/// never need a copy for alignment.
class Storage {
 public:
  static constexpr std::align_val_t alignment{64};

  explicit Storage(std::size_t nbytes)
      : bytes_(nbytes == 0 ? nullptr : static_cast<std::byte*>(::operator new(nbytes, alignment))),
        nbytes_(nbytes) {}
  ~Storage() {
    if (bytes_) ::operator delete(bytes_, alignment);
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  [[nodiscard]] std::byte* bytes() noexcept { return bytes_; }
  [[nodiscard]] std::size_t nbytes() const noexcept { return nbytes_; }

 private:
  std::byte* bytes_;
  std::size_t nbytes_;
};

}  // namespace keras::detail
