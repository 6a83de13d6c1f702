// SPDX-License-Identifier: Apache-2.0
// A minimal binary encoding for messages between kerascpp and its helper processes: unsigned
// integers (8 bytes, native order: both ends are the same program) and length-prefixed bytes.
// The reader checks every length against what is left, since a helper that crashed half way
// may have sent anything.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keras::io::wire {

/// Thrown by Reader when a message ends early.
class Truncated : public std::runtime_error {
 public:
  Truncated() : std::runtime_error("a message from a helper process is truncated") {}
};

class Writer {
 public:
  Writer& number(std::uint64_t value) {
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
    return *this;
  }
  Writer& text(std::string_view value) {
    number(value.size());
    bytes_.append(value);
    return *this;
  }
  [[nodiscard]] std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t number() {
    std::uint64_t value = 0;
    std::memcpy(&value, next(sizeof value).data(), sizeof value);
    return value;
  }
  std::string_view text() { return next(number()); }
  [[nodiscard]] bool done() const { return bytes_.empty(); }

 private:
  std::string_view next(std::uint64_t size) {
    if (size > bytes_.size()) throw Truncated();
    const std::string_view part = bytes_.substr(0, size);
    bytes_.remove_prefix(size);
    return part;
  }
  std::string_view bytes_;
};

}  // namespace keras::io::wire
