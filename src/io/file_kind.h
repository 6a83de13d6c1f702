// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace keras::io {

/// What a file is, judged by its first bytes, never by its name.
enum class FileKind {
  zip,   // "PK\x03\x04" (or an empty archive's "PK\x05\x06"): a Keras 3 .keras file
  hdf5,  // "\x89HDF\r\n\x1a\n": legacy .h5 or Keras 3 .weights.h5
  json,  // first non-blank character '{': model.json, to_json() output, config.json
  other,
};

struct FileHead {
  FileKind kind;
  std::string bytes;  // the first bytes (at most 16), for messages
};

/// The kind of the file at `path`; throws FileError with Keras's "File not found" message
/// when there is no such file, and a FileError when it is a folder or cannot be read.
[[nodiscard]] FileHead sniff_file(const std::string& path);

/// `bytes` as Python prints a bytes object, e.g. `b'\x89HDF\r\n\x1a\n'`.
[[nodiscard]] std::string bytes_repr(std::string_view bytes);

/// The whole file as text; throws FileError naming it when it cannot be read.
[[nodiscard]] std::string read_text_file(const std::string& path);

}  // namespace keras::io
