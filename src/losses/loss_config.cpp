// SPDX-License-Identifier: Apache-2.0
#include "losses/loss_config.h"

#include "keras/error.h"

#include <fmt/format.h>

namespace keras::losses::detail {
namespace {

// Keras 3 writes the loss dtype as null, a string, or a DTypePolicy object.
bool is_float32(const io::Json& dtype) {
  if (dtype.is_null()) return true;
  if (dtype.is_string()) return dtype.get<std::string>() == "float32";
  return dtype.is_object() && dtype.contains("config") && dtype["config"].is_object() &&
         dtype["config"].value("name", "") == "float32";
}

}  // namespace

LossConfig::LossConfig(const io::Json& config, std::string_view class_name)
    : keys_(config), class_name_(class_name) {}

std::string LossConfig::reduction() {
  const io::Json* value = find("reduction");
  if (value == nullptr) return "sum_over_batch_size";
  if (value->is_null()) return "None";
  if (!value->is_string()) throw_invalid_value("reduction", *value);
  return value->get<std::string>();
}

std::optional<int> LossConfig::optional_int(std::string_view key) {
  const io::Json* value = find(key);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_number_integer()) throw_invalid_value(key, *value);
  return value->get<int>();
}

void LossConfig::finish() {
  if (const io::Json* dtype = find("dtype"); dtype != nullptr && !is_float32(*dtype)) {
    throw ValueError(fmt::format("{} computes in float32 in kerascpp. Received: dtype={}",
                                 class_name_, dtype->dump()));
  }
  (void)find("fn");  // some Keras 3 releases also write the wrapped function's name
  if (const std::string unknown = keys_.unread_keys(); !unknown.empty()) {
    throw ValueError(
        fmt::format("Unrecognized keyword arguments passed to {}: {{{}}}", class_name_, unknown));
  }
}

void LossConfig::throw_invalid_value(std::string_view key, const io::Json& value) const {
  throw ValueError(fmt::format("The config of a {} loss has an invalid value for '{}': {}",
                               class_name_, key, value.dump()));
}

io::Json base_config(const Loss& loss) {
  io::Json config;
  config["name"] = loss.name();
  config["reduction"] = loss.reduction();
  return config;
}

}  // namespace keras::losses::detail
