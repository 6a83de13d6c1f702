// SPDX-License-Identifier: Apache-2.0
#include "io/layer_config.h"

#include <fmt/format.h>

namespace keras::io {
namespace {

// Keyword arguments Keras's base Layer accepts that carry nothing kerascpp uses.
constexpr std::string_view ignored_base_keys[] = {"autocast", "batch_size"};

std::string read_dtype(const Json& dtype) {
  // Keras 3 writes a DTypePolicy object, Keras 2 and early Keras 3 a plain string.
  if (dtype.is_string()) return dtype.get<std::string>();
  if (dtype.is_object() && dtype.contains("config") && dtype["config"].contains("name")) {
    return dtype["config"]["name"].get<std::string>();
  }
  throw ValueError(fmt::format("Cannot read dtype {}", dtype.dump()));
}

Shape read_shape(std::string_view key, const Json& value) {
  if (!value.is_array()) {
    throw ValueError(fmt::format("`{}` must be a list of sizes, got: {}", key, value.dump()));
  }
  std::vector<Dim> dims;
  for (const Json& size : value) {
    if (size.is_null()) {
      dims.emplace_back(None);
    } else if (size.is_number_integer() && size.get<std::int64_t>() >= 0) {
      dims.emplace_back(size.get<std::int64_t>());
    } else {
      throw ValueError(
          fmt::format("`{}` must hold non-negative integers or null, got: {}", key, value.dump()));
    }
  }
  return Shape(std::move(dims));
}

}  // namespace

Json parse_json(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    // A syntax error, or a number too large for a double (out_of_range.406). Drop nlohmann's
    // "[json.exception.parse_error.101] " tag; keep line, column and cause.
    const std::string_view message = error.what();
    const auto tag_end = message.find("] ");
    throw ValueError(
        fmt::format("Invalid JSON in {}: {}", what,
                    tag_end == std::string_view::npos ? message : message.substr(tag_end + 2)));
  }
}

ConfigReader::ConfigReader(const Json& config, std::string_view class_name)
    : keys_(config), class_name_(class_name) {}

std::optional<Shape> ConfigReader::shape(std::string_view key) {
  const Json* value = find(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  return read_shape(key, *value);
}

layers::LayerArgs ConfigReader::layer_args() {
  layers::LayerArgs args;
  args.name = get<std::string>("name", "");
  args.trainable = get<bool>("trainable", true);
  if (const Json* dtype = find("dtype"); dtype != nullptr && !dtype->is_null()) {
    args.dtype = read_dtype(*dtype);
  }
  // Keras 2 stores the legacy argument with its batch axis, Keras 3 never stores it.
  if (auto batch_input_shape = shape("batch_input_shape")) {
    args.input_shape = batch_input_shape->without_batch();
  } else if (auto input_shape = shape("input_shape")) {
    args.input_shape = std::move(input_shape);
  }
  for (const std::string_view key : ignored_base_keys) (void)find(key);
  return args;
}

void ConfigReader::finish() const {
  if (const std::string unknown = keys_.unread_keys(); !unknown.empty()) {
    throw ValueError(
        fmt::format("Unrecognized keyword arguments passed to {}: {{{}}}", class_name_, unknown));
  }
}

void ConfigReader::throw_wrong_type(std::string_view key, const Json& value) const {
  throw ValueError(fmt::format("The config of a {} layer has an invalid value for '{}': {}",
                               class_name_, key, value.dump()));
}

Json base_config(const layers::Layer& layer) {
  Json config;
  config["name"] = layer.name();
  config["trainable"] = layer.trainable();
  config["dtype"] = {{"module", "keras"},
                     {"class_name", "DTypePolicy"},
                     {"config", {{"name", name_of(layer.dtype())}}},
                     {"registered_name", nullptr}};
  return config;
}

std::string read_json_text(ConfigReader& config, std::string_view key) {
  const Json value = config.get<Json>(key, nullptr);
  return value.is_null() ? std::string() : value.dump();
}

Json json_of_text(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json::parse(text);
}

Json shape_json(const Shape& shape) {
  Json sizes = Json::array();
  for (const Dim& dim : shape) sizes.push_back(dim ? Json(*dim) : Json(nullptr));
  return sizes;
}

}  // namespace keras::io
