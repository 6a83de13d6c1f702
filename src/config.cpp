// SPDX-License-Identifier: Apache-2.0
#include "keras/config.h"

#include "keras/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>

namespace keras {

std::string_view name_of(DataFormat format) noexcept {
  return format == DataFormat::channels_first ? "channels_first" : "channels_last";
}

}  // namespace keras

namespace keras::config {
namespace {

std::atomic<DataFormat>& global_image_data_format() {
  static std::atomic<DataFormat> format{DataFormat::channels_last};
  return format;
}

std::atomic<bool> global_winograd_convolutions{true};
std::atomic<bool> global_channel_blocks{true};

}  // namespace

bool winograd_convolutions() { return global_winograd_convolutions.load(); }

void set_winograd_convolutions(bool enabled) { global_winograd_convolutions.store(enabled); }

bool channel_blocks() { return global_channel_blocks.load(); }

void set_channel_blocks(bool enabled) { global_channel_blocks.store(enabled); }

std::string image_data_format() { return std::string(name_of(global_image_data_format().load())); }

void set_image_data_format(std::string_view data_format) {
  if (data_format.empty()) {
    throw ValueError(
        "The `data_format` argument must be one of {'channels_first', "
        "'channels_last'}. Received: data_format=");
  }
  global_image_data_format().store(standardize_data_format(data_format));
}

DataFormat standardize_data_format(std::string_view data_format) {
  if (data_format.empty()) return global_image_data_format().load();
  std::string lowered(data_format);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lowered == "channels_last") return DataFormat::channels_last;
  if (lowered == "channels_first") return DataFormat::channels_first;
  throw ValueError(
      fmt::format("The `data_format` argument must be one of {{'channels_first', "
                  "'channels_last'}}. Received: data_format={}",
                  lowered));
}

}  // namespace keras::config
