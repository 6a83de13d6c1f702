// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

namespace keras {

/// Base of every exception kerascpp throws; nothing a user can cause aborts the process.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad argument or an incompatible shape (Keras's `ValueError`).
class ValueError : public Error {
 public:
  using Error::Error;
};

/// An argument of the wrong kind (Keras's `TypeError`).
class TypeError : public Error {
 public:
  using Error::Error;
};

/// An index out of range, e.g. `pop()` on an empty model (Python's `IndexError`).
class IndexError : public Error {
 public:
  using Error::Error;
};

/// A valid Keras feature that kerascpp does not support (yet), e.g. an unknown layer class.
class NotImplementedError : public Error {
 public:
  using Error::Error;
};

/// A missing, unreadable, corrupt or unsupported file; the message names the file.
class FileError : public Error {
 public:
  FileError(std::string path, const std::string& what);
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace keras
