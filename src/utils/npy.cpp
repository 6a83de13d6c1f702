// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/npy.h"

#include "keras/shape.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

namespace keras::utils {
namespace {

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;

[[noreturn]] void fail(const std::string& path, std::string_view what) {
  throw FileError(path, fmt::format("Cannot read NPY file '{}': {}", path, what));
}

std::string header_field(const std::string& header, const std::string& key,
                         const std::string& value_pattern, const std::string& path) {
  const std::regex field("'" + key + "'\\s*:\\s*(" + value_pattern + ")");
  std::smatch match;
  if (!std::regex_search(header, match, field)) {
    fail(path, fmt::format("its header has no valid '{}' entry", key));
  }
  return match[1].str();
}

// NumPy's type strings for the dtypes a Tensor holds (little-endian; bytes have no order).
constexpr std::array<std::pair<std::string_view, DType>, 6> descriptions{{
    {"'<f4'", DType::float32},
    {"'<f8'", DType::float64},
    {"'<i4'", DType::int32},
    {"'<i8'", DType::int64},
    {"'|u1'", DType::uint8},
    {"'<u1'", DType::uint8},
}};

DType parse_descr(const std::string& descr, const std::string& path) {
  for (const auto& [text, dtype] : descriptions) {
    if (descr == text) return dtype;
  }
  fail(path, fmt::format("unsupported dtype {} (kerascpp reads little-endian float32, float64, "
                         "int32, int64 and uint8)",
                         descr));
}

std::string_view descr_of(DType dtype) {
  for (const auto& [text, described] : descriptions) {
    if (described == dtype) return text.substr(1, text.size() - 2);
  }
  return "<f4";
}

std::vector<std::int64_t> parse_shape(const std::string& tuple, const std::string& path) {
  std::vector<std::int64_t> shape;
  const std::regex number("\\d+");
  for (auto it = std::sregex_iterator(tuple.begin(), tuple.end(), number);
       it != std::sregex_iterator(); ++it) {
    const std::string digits = it->str();
    if (digits.size() > 15) fail(path, fmt::format("shape {} is too large", tuple));
    shape.push_back(std::stoll(digits));
  }
  return shape;
}

}  // namespace

Tensor load_npy(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) fail(path, "the file cannot be opened");
  file.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(file.tellg());
  file.seekg(0);

  char preamble[magic_size + 2];
  if (!file.read(preamble, sizeof preamble) || std::string_view(preamble, magic_size) != magic) {
    fail(path, "it is not an NPY file (no \\x93NUMPY magic)");
  }
  const auto major = static_cast<unsigned char>(preamble[magic_size]);
  unsigned char length_bytes[4] = {};
  const std::size_t length_size = major == 1 ? 2 : 4;
  if (major < 1 || major > 3) fail(path, fmt::format("unsupported format version {}", major));
  if (!file.read(reinterpret_cast<char*>(length_bytes),
                 static_cast<std::streamsize>(length_size))) {
    fail(path, "the header is truncated");
  }
  std::uint64_t header_size = 0;
  for (std::size_t i = length_size; i-- > 0;) header_size = header_size * 256 + length_bytes[i];
  if (header_size > file_size) fail(path, "the header is longer than the file");
  std::string header(header_size, '\0');
  if (!file.read(header.data(), static_cast<std::streamsize>(header_size))) {
    fail(path, "the header is truncated");
  }

  const DType dtype = parse_descr(header_field(header, "descr", "'[^']*'", path), path);
  if (header_field(header, "fortran_order", "True|False", path) == "True") {
    fail(path, "Fortran-order arrays are not supported; save it with C order");
  }
  const auto shape = parse_shape(header_field(header, "shape", "\\([^)]*\\)", path), path);

  std::uint64_t count = 1;
  std::uint64_t bytes = 0;
  for (const std::int64_t size : shape) {
    if (__builtin_mul_overflow(count, static_cast<std::uint64_t>(size), &count)) {
      fail(path, fmt::format("shape {} is too large", Shape::of(shape).to_string()));
    }
  }
  if (__builtin_mul_overflow(count, size_of(dtype), &bytes)) {
    fail(path, fmt::format("shape {} is too large", Shape::of(shape).to_string()));
  }
  const std::uint64_t data_offset = magic_size + 2 + length_size + header_size;
  if (bytes != file_size - data_offset) {
    fail(path, fmt::format("shape {} needs {} bytes of data, the file holds {}",
                           Shape::of(shape).to_string(), bytes, file_size - data_offset));
  }
  Tensor tensor = Tensor::empty(shape, dtype);
  if (!file.read(static_cast<char*>(tensor.raw_data()),
                 static_cast<std::streamsize>(tensor.nbytes()))) {
    fail(path, "the data is truncated");
  }
  return tensor;
}

void save_npy(const std::string& path, const Tensor& tensor) {
  std::string shape;
  for (const std::int64_t size : tensor.shape()) shape += fmt::format("{}, ", size);
  if (tensor.rank() > 1) shape.resize(shape.size() - 2);
  if (tensor.rank() == 1) shape.pop_back();
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}",
                                   descr_of(tensor.dtype()), shape);
  // Magic, version and length take 10 bytes; the header pads to a multiple of 64 with '\n'.
  const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';

  const Tensor data = tensor.contiguous();
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    const auto length = static_cast<std::uint16_t>(header.size());
    const char preamble[] = {'\x93',
                             'N',
                             'U',
                             'M',
                             'P',
                             'Y',
                             1,
                             0,
                             static_cast<char>(length & 0xff),
                             static_cast<char>(length >> 8)};
    file.write(preamble, sizeof preamble);
    file.write(header.data(), static_cast<std::streamsize>(header.size()));
    file.write(static_cast<const char*>(data.raw_data()),
               static_cast<std::streamsize>(data.nbytes()));
    if (!file.flush()) {
      std::remove(temporary.c_str());
      throw FileError(path, fmt::format("Cannot write NPY file '{}'", path));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    throw FileError(path, fmt::format("Cannot write NPY file '{}': {}", path, error.message()));
  }
}

}  // namespace keras::utils
