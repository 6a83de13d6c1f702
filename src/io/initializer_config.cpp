// SPDX-License-Identifier: Apache-2.0
#include "io/initializer_config.h"

#include "detail/naming.h"

#include <fmt/format.h>

#include <array>

namespace keras::io {
namespace {

using initializers::Initializer;
using Distribution = Initializer::Distribution;
using FanMode = Initializer::FanMode;

constexpr std::array fan_mode_names{"fan_in", "fan_out", "fan_avg"};
constexpr std::array distribution_names{"uniform", "truncated_normal", "untruncated_normal"};

Json seed_json(const Initializer& initializer) {
  return initializer.seed() ? Json(*initializer.seed()) : Json(nullptr);
}

Json arguments(const Initializer& initializer) {
  switch (initializer.kind()) {
    case Initializer::Kind::zeros:
    case Initializer::Kind::ones:
      return Json::object();
    case Initializer::Kind::constant:
      return {{"value", initializer.value()}};
    case Initializer::Kind::random_uniform:
      return {{"minval", initializer.minval()},
              {"maxval", initializer.maxval()},
              {"seed", seed_json(initializer)}};
    case Initializer::Kind::random_normal:
    case Initializer::Kind::truncated_normal:
      return {{"mean", initializer.mean()},
              {"stddev", initializer.stddev()},
              {"seed", seed_json(initializer)}};
    case Initializer::Kind::variance_scaling:
      break;
  }
  if (initializer.class_name() != "VarianceScaling") return {{"seed", seed_json(initializer)}};
  return {
      {"scale", initializer.scale()},
      {"mode", fan_mode_names[static_cast<std::size_t>(initializer.mode())]},
      {"distribution", distribution_names[static_cast<std::size_t>(initializer.distribution())]},
      {"seed", seed_json(initializer)}};
}

template <std::size_t size>
std::size_t index_of(const std::array<const char*, size>& names, const std::string& name,
                     std::string_view what) {
  for (std::size_t i = 0; i < size; ++i) {
    if (name == names[i]) return i;
  }
  throw ValueError(fmt::format("Invalid VarianceScaling {}: '{}'", what, name));
}

Initializer from_class(const std::string& class_name, const Json& config) {
  const auto seed = config.contains("seed") && !config["seed"].is_null()
                        ? std::optional<std::uint64_t>(config["seed"].get<std::uint64_t>())
                        : std::nullopt;
  if (class_name == "Constant") return Initializer::constant(config.value("value", 0.0));
  if (class_name == "RandomUniform") {
    return Initializer::random_uniform(config.value("minval", -0.05), config.value("maxval", 0.05),
                                       seed);
  }
  if (class_name == "RandomNormal" || class_name == "TruncatedNormal") {
    const double mean = config.value("mean", 0.0);
    const double stddev = config.value("stddev", 0.05);
    return class_name == "RandomNormal" ? Initializer::random_normal(mean, stddev, seed)
                                        : Initializer::truncated_normal(mean, stddev, seed);
  }
  if (class_name == "VarianceScaling") {
    std::string distribution = config.value("distribution", "truncated_normal");
    if (distribution == "normal") distribution = "truncated_normal";  // Keras's alias
    return Initializer::variance_scaling(
        config.value("scale", 1.0),
        FanMode(index_of(fan_mode_names, config.value("mode", "fan_in"), "mode")),
        Distribution(index_of(distribution_names, distribution, "distribution")), seed);
  }
  // GlorotUniform, HeNormal, Zeros, Ones, ...: the identifier is the snake-cased class name.
  Initializer initializer(detail::to_snake_case(class_name));
  return seed ? initializer.with_seed(*seed) : initializer;
}

}  // namespace

Json initializer_config(const Initializer& initializer) {
  return {{"module", "keras.initializers"},
          {"class_name", initializer.class_name()},
          {"config", arguments(initializer)},
          {"registered_name", nullptr}};
}

Initializer initializer_from_config(const Json& config) {
  try {
    if (config.is_string()) return Initializer(config.get<std::string>());
    if (config.is_object() && config.contains("class_name")) {
      return from_class(config["class_name"].get<std::string>(),
                        config.value("config", Json::object()));
    }
  } catch (const nlohmann::json::exception&) {
    // Reported below with the whole config.
  }
  throw ValueError(fmt::format("Could not interpret initializer identifier: {}", config.dump()));
}

}  // namespace keras::io
