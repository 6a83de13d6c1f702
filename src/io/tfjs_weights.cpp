// SPDX-License-Identifier: Apache-2.0
// The binary half of the TF.js layers format (tfjs-core io/types.ts, the converter's
// write_weights.py): per manifest group, the raw little-endian bytes of each weight in manifest
// order, cut into shards; a tensor may straddle two shards.
#include "io/tfjs_weights.h"

#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>

namespace keras::io {
namespace {

static_assert(std::endian::native == std::endian::little, "TF.js weights are little-endian");

namespace fs = std::filesystem;

// How a weight is stored: the manifest's dtype, or its quantization's.
enum class Storage { float32, int32, float16, uint8, uint16 };

struct Entry {
  std::string name;
  std::vector<std::int64_t> shape;
  Storage storage = Storage::float32;
  double min = 0.0;  // quantized values q become q * scale + min
  double scale = 1.0;
  bool skip = false;  // an optimizer weight
  std::int64_t offset = 0;
  std::int64_t bytes = 0;
};

struct Shard {
  std::string path;
  std::int64_t size = 0;
};

std::string prefix(const std::string& model_json_path) {
  return fmt::format("Cannot read TF.js model '{}': ", model_json_path);
}

[[noreturn]] void fail(const std::string& model_json_path, std::string_view what) {
  throw FileError(model_json_path, prefix(model_json_path) + std::string(what));
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  return Shape::of(shape).to_string();
}

std::optional<Storage> storage_of(const std::string& dtype, bool quantized) {
  if (quantized) {
    if (dtype == "uint8") return Storage::uint8;
    if (dtype == "uint16") return Storage::uint16;
    if (dtype == "float16") return Storage::float16;
    return std::nullopt;
  }
  if (dtype == "float32") return Storage::float32;
  if (dtype == "int32") return Storage::int32;
  if (dtype == "float16") return Storage::float16;
  return std::nullopt;
}

std::int64_t element_bytes(Storage storage) {
  switch (storage) {
    case Storage::float32:
    case Storage::int32:
      return 4;
    case Storage::float16:
    case Storage::uint16:
      return 2;
    case Storage::uint8:
      return 1;
  }
  return 4;
}

void read_quantization(const Json& quantization, const std::string& path, Entry& entry) {
  const std::string dtype = quantization.value("dtype", "");
  const auto storage = storage_of(dtype, true);
  if (!storage) {
    throw NotImplementedError(fmt::format(
        "TF.js model '{}': weight '{}' is quantized to '{}', which kerascpp does not read (it "
        "reads uint8, uint16 and float16 quantization)",
        path, entry.name, dtype));
  }
  entry.storage = *storage;
  if (*storage == Storage::float16) return;
  const auto min = quantization.find("min");
  const auto scale = quantization.find("scale");
  if (min == quantization.end() || scale == quantization.end() || !min->is_number() ||
      !scale->is_number()) {
    fail(path, fmt::format("the quantization of weight '{}' needs a numeric \"min\" and \"scale\"",
                           entry.name));
  }
  entry.min = min->get<double>();
  entry.scale = scale->get<double>();
}

Entry read_entry(const Json& weight, std::size_t index, std::size_t group,
                 const std::string& path) {
  const bool well_formed = weight.is_object() && weight.contains("name") &&
                           weight["name"].is_string() && weight.contains("shape") &&
                           weight["shape"].is_array() && weight.contains("dtype") &&
                           weight["dtype"].is_string();
  bool sizes_ok = well_formed;
  Entry entry;
  if (well_formed) {
    for (const Json& size : weight["shape"]) {
      // A size past INT64_MAX reads as negative and is refused with the rest.
      sizes_ok = sizes_ok && size.is_number_integer() && size.get<std::int64_t>() >= 0;
      if (sizes_ok) entry.shape.push_back(size.get<std::int64_t>());
    }
  }
  if (!sizes_ok) {
    fail(path, fmt::format("entry {} of weightsManifest group {} needs a string \"name\", a "
                           "\"shape\" of non-negative integers and a string \"dtype\"",
                           index, group));
  }
  entry.name = weight["name"].get<std::string>();
  entry.skip = weight.value("group", "") == "optimizer";
  if (weight.contains("quantization") && !weight["quantization"].is_null()) {
    read_quantization(weight["quantization"], path, entry);
  } else {
    const std::string dtype = weight["dtype"].get<std::string>();
    const auto storage = storage_of(dtype, false);
    if (!storage) {
      throw NotImplementedError(fmt::format(
          "TF.js model '{}': weight '{}' has dtype '{}', which kerascpp does not read (it reads "
          "float32, int32 and float16)",
          path, entry.name, dtype));
    }
    entry.storage = *storage;
  }
  std::int64_t bytes = element_bytes(entry.storage);
  for (const std::int64_t size : entry.shape) {
    if (__builtin_mul_overflow(bytes, size, &bytes)) {
      fail(path, fmt::format("weight '{}' has shape {}, which is too large", entry.name,
                             shape_text(entry.shape)));
    }
  }
  entry.bytes = bytes;
  return entry;
}

std::vector<Shard> open_shards(const Json& paths, const std::string& path) {
  const fs::path folder = fs::path(path).parent_path();
  std::vector<Shard> shards;
  for (const Json& name : paths) {
    const std::string shard = (folder / name.get<std::string>()).string();
    std::error_code error;
    const auto size = fs::file_size(shard, error);
    if (error || !fs::is_regular_file(shard) || !std::ifstream(shard, std::ios::binary)) {
      throw FileError(shard,
                      prefix(path) + fmt::format("weight shard '{}' cannot be opened", shard));
    }
    shards.push_back({shard, static_cast<std::int64_t>(size)});
  }
  return shards;
}

void check_sizes(const std::vector<Entry>& entries, const std::vector<Shard>& shards,
                 std::size_t group, const std::string& path) {
  std::int64_t total = 0;
  std::string listing;
  for (const Shard& shard : shards) {
    total += shard.size;
    listing += fmt::format("{}'{}' ({} bytes)", listing.empty() ? "" : ", ",
                           fs::path(shard.path).filename().string(), shard.size);
  }
  for (const Entry& entry : entries) {
    if (entry.bytes > total - entry.offset) {
      fail(path, fmt::format("weight '{}' of shape {} needs bytes {} to {} of weightsManifest "
                             "group {}, but its shards hold {} bytes: {}",
                             entry.name, shape_text(entry.shape), entry.offset,
                             entry.offset + entry.bytes, group, total,
                             listing.empty() ? "none" : listing));
    }
  }
}

// Reads consecutive bytes of a group, crossing from one shard file to the next.
class ShardStream {
 public:
  ShardStream(const std::vector<Shard>& shards, std::string model_json_path)
      : shards_(shards), path_(std::move(model_json_path)) {}

  void read(unsigned char* destination, std::int64_t count) {
    while (count > 0) {
      if (!file_.is_open() || left_ == 0) next();
      const std::int64_t chunk = std::min(count, left_);
      if (!file_.read(reinterpret_cast<char*>(destination), chunk)) {
        fail(path_, fmt::format("weight shard '{}' could not be read", shards_[index_ - 1].path));
      }
      destination += chunk;
      count -= chunk;
      left_ -= chunk;
    }
  }

 private:
  void next() {
    file_.close();
    file_.open(shards_.at(index_).path, std::ios::binary);
    left_ = shards_[index_].size;
    ++index_;
  }

  const std::vector<Shard>& shards_;
  std::string path_;
  std::ifstream file_;
  std::size_t index_ = 0;
  std::int64_t left_ = 0;
};

float half_to_float(std::uint16_t half) {
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  float value = 0.0f;
  if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    value = mantissa == 0 ? std::numeric_limits<float>::infinity()
                          : std::numeric_limits<float>::quiet_NaN();
  } else {
    value = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return (half & 0x8000) != 0 ? -value : value;
}

template <typename T>
T load(const unsigned char* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

Tensor decode(const Entry& entry, const std::vector<unsigned char>& bytes) {
  Tensor tensor = Tensor::empty(entry.shape);
  float* out = tensor.data<float>();
  const std::int64_t count = tensor.size();
  const std::size_t step = static_cast<std::size_t>(element_bytes(entry.storage));
  for (std::int64_t i = 0; i < count; ++i) {
    const unsigned char* at = bytes.data() + static_cast<std::size_t>(i) * step;
    switch (entry.storage) {
      case Storage::float32:
        out[i] = load<float>(at);
        break;
      case Storage::int32:
        out[i] = static_cast<float>(load<std::int32_t>(at));
        break;
      case Storage::float16:
        out[i] = half_to_float(load<std::uint16_t>(at));
        break;
      case Storage::uint8:
        out[i] = static_cast<float>(at[0] * entry.scale + entry.min);
        break;
      case Storage::uint16:
        out[i] = static_cast<float>(load<std::uint16_t>(at) * entry.scale + entry.min);
        break;
    }
  }
  return tensor;
}

void read_group(const Json& group, std::size_t index, const std::string& path,
                std::vector<TfjsWeight>& weights) {
  bool well_formed = group.is_object() && group.contains("paths") && group["paths"].is_array() &&
                     group.contains("weights") && group["weights"].is_array();
  for (const Json& name : well_formed ? group["paths"] : Json::array()) {
    well_formed = well_formed && name.is_string();
  }
  if (!well_formed) {
    fail(path, fmt::format("weightsManifest group {} needs a list of \"paths\" (file names) and a "
                           "list of \"weights\"",
                           index));
  }
  std::vector<Entry> entries;
  std::int64_t offset = 0;
  for (const Json& weight : group["weights"]) {
    Entry entry = read_entry(weight, entries.size(), index, path);
    entry.offset = offset;
    if (__builtin_add_overflow(offset, entry.bytes, &offset)) {
      fail(path, fmt::format("weight '{}' has shape {}, which is too large", entry.name,
                             shape_text(entry.shape)));
    }
    entries.push_back(std::move(entry));
  }
  const std::vector<Shard> shards = open_shards(group["paths"], path);
  check_sizes(entries, shards, index, path);
  ShardStream stream(shards, path);
  std::vector<unsigned char> bytes;
  for (const Entry& entry : entries) {
    bytes.resize(static_cast<std::size_t>(entry.bytes));
    stream.read(bytes.data(), entry.bytes);
    if (!entry.skip) weights.push_back({entry.name, decode(entry, bytes)});
  }
}

}  // namespace

std::vector<TfjsWeight> read_tfjs_weights(const Json& manifest,
                                          const std::string& model_json_path) {
  if (!manifest.is_array())
    fail(model_json_path, "\"weightsManifest\" must be a list of weight groups");
  std::vector<TfjsWeight> weights;
  for (std::size_t group = 0; group < manifest.size(); ++group) {
    read_group(manifest[group], group, model_json_path, weights);
  }
  return weights;
}

}  // namespace keras::io
