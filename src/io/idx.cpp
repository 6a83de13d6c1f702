// SPDX-License-Identifier: Apache-2.0
#include "io/idx.h"

#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>
#include <zlib.h>

namespace keras::io {
namespace {

// Deflate expands data at most about 1032-fold, so a gzip file of n bytes cannot hold more
// than 1032 n bytes: a header that promises more is corrupt, and is refused before allocating.
constexpr std::uint64_t max_gzip_ratio = 1032;
// gzread counts in unsigned int, so large data is read in pieces.
constexpr std::uint64_t read_chunk = std::uint64_t{1} << 30;
constexpr std::uint64_t magic_size = 4;

std::uint32_t big_endian_u32(const unsigned char* bytes) {
  return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
         std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw FileError(path, fmt::format("Cannot read IDX file '{}': {}", path, what));
}

struct GzClose {
  void operator()(gzFile file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzClose>;

// Reads up to `size` bytes and returns how many there were; a damaged gzip stream throws. zlib
// reads files that are not gzip-compressed as they are.
std::uint64_t read_bytes(gzFile file, void* into, std::uint64_t size, const std::string& path) {
  auto* bytes = static_cast<unsigned char*>(into);
  std::uint64_t done = 0;
  while (done < size) {
    const auto chunk = static_cast<unsigned>(std::min(size - done, read_chunk));
    const int got = gzread(file, bytes + done, chunk);
    if (got < 0) {
      int code = Z_OK;
      fail(path, fmt::format("its gzip data is damaged ({})", gzerror(file, &code)));
    }
    if (got == 0) break;  // the end, or a truncated gzip stream (Z_BUF_ERROR)
    done += static_cast<std::uint64_t>(got);
  }
  return done;
}

DType dtype_of_code(unsigned code, std::uint32_t magic, const std::string& path) {
  switch (code) {
    case 0x08:
      return DType::uint8;
    case 0x0C:
      return DType::int32;
    case 0x0D:
      return DType::float32;
    case 0x0E:
      return DType::float64;
    default:
      fail(path, fmt::format("unsupported type code 0x{:02X} in its magic number 0x{:08X} "
                             "(kerascpp reads 0x08 uint8, 0x0C int32, 0x0D float32 and 0x0E "
                             "float64)",
                             code, magic));
  }
}

struct Header {
  DType dtype;
  std::vector<std::int64_t> dims;
  std::uint64_t size;  // bytes before the data
};

Header read_header(gzFile file, const std::string& path) {
  std::array<unsigned char, magic_size> magic{};
  if (read_bytes(file, magic.data(), magic.size(), path) < magic.size()) {
    fail(path, "it is not an IDX file (it is shorter than the 4-byte magic number)");
  }
  const std::uint32_t magic_number = big_endian_u32(magic.data());
  if (magic[0] != 0 || magic[1] != 0) {
    fail(path, fmt::format("it is not an IDX file (its magic number is 0x{:08X}; an IDX file "
                           "starts with two zero bytes, a type code and the number of dimensions)",
                           magic_number));
  }
  Header header{dtype_of_code(magic[2], magic_number, path), {}, magic_size + 4u * magic[3]};
  std::vector<unsigned char> dims(4u * magic[3]);
  const std::uint64_t got = read_bytes(file, dims.data(), dims.size(), path);
  if (got < dims.size()) {
    fail(path, fmt::format("the header is truncated: {} dimensions need {} bytes after the magic "
                           "number, the file holds {}",
                           magic[3], dims.size(), got));
  }
  for (std::size_t axis = 0; axis < magic[3]; ++axis) {
    const auto size = static_cast<std::int32_t>(big_endian_u32(dims.data() + 4 * axis));
    if (size < 0) fail(path, fmt::format("dimension {} is negative ({})", axis, size));
    header.dims.push_back(size);
  }
  return header;
}

// The data's size in bytes; refuses dims whose product overflows or that the file cannot hold.
std::uint64_t data_size(const Header& header, std::uint64_t file_size, bool compressed,
                        const std::string& path) {
  const std::string shape = Shape::of(header.dims).to_string();
  std::uint64_t bytes = size_of(header.dtype);
  for (const std::int64_t size : header.dims) {
    if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(size), &bytes)) {
      fail(path, fmt::format("its dims {} describe more data than can be addressed", shape));
    }
  }
  if (!compressed && bytes != file_size - header.size) {
    fail(path, fmt::format("dims {} need {} bytes of data, the file holds {}", shape, bytes,
                           file_size - header.size));
  }
  if (compressed && bytes / max_gzip_ratio > file_size) {
    fail(path, fmt::format("dims {} need {} bytes of data, more than a {}-byte gzip file can hold",
                           shape, bytes, file_size));
  }
  return bytes;
}

// IDX stores multi-byte values big-endian.
void to_native_order(Tensor& tensor) {
  const std::size_t width = size_of(tensor.dtype());
  if (width == 1 || std::endian::native == std::endian::big) return;
  auto* bytes = static_cast<unsigned char*>(tensor.raw_data());
  for (std::size_t at = 0; at < tensor.nbytes(); at += width) {
    std::reverse(bytes + at, bytes + at + width);
  }
}

}  // namespace

Tensor read_idx(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) fail(path, "the file does not exist");
  if (!std::filesystem::is_regular_file(status)) fail(path, "it is not a regular file");
  const std::uint64_t file_size = std::filesystem::file_size(path, error);
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file || error) {
    fail(path, fmt::format("the file cannot be opened ({})", std::strerror(errno)));
  }
  gzbuffer(file.get(), 1u << 17);

  const Header header = read_header(file.get(), path);
  const bool compressed = gzdirect(file.get()) == 0;
  const std::uint64_t bytes = data_size(header, file_size, compressed, path);
  Tensor tensor = Tensor::empty(header.dims, header.dtype);
  const std::uint64_t got = read_bytes(file.get(), tensor.raw_data(), bytes, path);
  if (got < bytes) {
    fail(path, fmt::format("dims {} need {} bytes of data, the file holds {}",
                           Shape::of(header.dims).to_string(), bytes, got));
  }
  unsigned char extra = 0;
  if (read_bytes(file.get(), &extra, 1, path) != 0) {
    fail(path, fmt::format("the file holds more than the {} bytes of data its dims {} describe",
                           bytes, Shape::of(header.dims).to_string()));
  }
  to_native_order(tensor);
  return tensor;
}

}  // namespace keras::io
