// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/image.h"

#include <fmt/format.h>

#include <memory>
#include <png.h>

namespace keras::utils {
namespace {

// Images beyond this many pixels are refused before any allocation.
constexpr std::uint64_t max_pixels = std::uint64_t{1} << 28;

struct PngImage {
  png_image image{};
  PngImage() { image.version = PNG_IMAGE_VERSION; }
  ~PngImage() { png_image_free(&image); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;
};

}  // namespace

Tensor load_png(const std::string& path, std::int64_t channels) {
  if (channels != 1 && channels != 3) {
    throw ValueError(fmt::format(
        "load_png: `channels` must be 1 (grey) or 3 (RGB), got {} for '{}'", channels, path));
  }
  PngImage png;
  if (png_image_begin_read_from_file(&png.image, path.c_str()) == 0) {
    throw FileError(path, fmt::format("Cannot read PNG file '{}': {}", path, png.image.message));
  }
  if (std::uint64_t{png.image.width} * png.image.height > max_pixels) {
    throw FileError(path, fmt::format("Cannot read PNG file '{}': {}x{} pixels is too large", path,
                                      png.image.width, png.image.height));
  }
  // libpng's simplified API converts any colour type, bit depth and alpha for us.
  png.image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  Tensor pixels = Tensor::empty({png.image.height, png.image.width, channels}, DType::uint8);
  if (png_image_finish_read(&png.image, nullptr, pixels.data<std::uint8_t>(), 0, nullptr) == 0) {
    throw FileError(path, fmt::format("Cannot read PNG file '{}': {}", path, png.image.message));
  }
  return pixels;
}

}  // namespace keras::utils
