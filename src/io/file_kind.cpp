// SPDX-License-Identifier: Apache-2.0
#include "io/file_kind.h"

#include "keras/error.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace keras::io {
namespace {

constexpr std::string_view zip_magic = "PK\x03\x04";
constexpr std::string_view empty_zip_magic = "PK\x05\x06";
constexpr std::string_view hdf5_magic = "\x89HDF\r\n\x1a\n";
constexpr std::size_t head_size = 16;

bool looks_like_json(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // a UTF-8 byte order mark
  const auto first = bytes.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && bytes[first] == '{';
}

}  // namespace

FileHead sniff_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    // Keras adds its hint only for a `.keras` path (saving_api.load_model).
    throw FileError(path, fmt::format("File not found: filepath={}.{}", path,
                                      path.ends_with(".keras")
                                          ? " Please ensure the file is an accessible `.keras` "
                                            "zip file."
                                          : ""));
  }
  if (std::filesystem::is_directory(status)) {
    throw FileError(path, fmt::format("Cannot read '{}': it is a folder, not a file (a "
                                      "TensorFlow SavedModel folder is not supported)",
                                      path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file)
    throw FileError(path, fmt::format("Cannot read '{}': the file cannot be opened", path));
  std::string bytes(head_size, '\0');
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(file.gcount()));

  FileKind kind = FileKind::other;
  if (bytes.starts_with(zip_magic) || bytes.starts_with(empty_zip_magic)) {
    kind = FileKind::zip;
  } else if (bytes.starts_with(hdf5_magic)) {
    kind = FileKind::hdf5;
  } else if (looks_like_json(bytes)) {
    kind = FileKind::json;
  }
  return {kind, std::move(bytes)};
}

std::string bytes_repr(std::string_view bytes) {
  std::string text = "b'";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '\n':
        text += "\\n";
        break;
      case '\r':
        text += "\\r";
        break;
      case '\t':
        text += "\\t";
        break;
      case '\\':
        text += "\\\\";
        break;
      case '\'':
        text += "\\'";
        break;
      default:
        text += byte >= 0x20 && byte < 0x7f ? std::string(1, c) : fmt::format("\\x{:02x}", byte);
    }
  }
  return text + "'";
}

std::string read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (!file.is_open() || file.bad()) {
    throw FileError(path, fmt::format("Cannot read '{}': reading it failed", path));
  }
  return text;
}

}  // namespace keras::io
