// SPDX-License-Identifier: Apache-2.0
#include "keras/initializers.h"

#include "detail/loaded_weights.h"
#include "detail/random.h"
#include "detail/seed_stream.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace keras::initializers {
namespace {

using Distribution = Initializer::Distribution;
using FanMode = Initializer::FanMode;

struct VarianceScalingPreset {
  std::string_view identifier;
  std::string_view class_name;
  double scale;
  FanMode mode;
  Distribution distribution;
};

// Keras 3's presets of VarianceScaling (keras/src/initializers/random_initializers.py).
constexpr std::array variance_scaling_presets{
    VarianceScalingPreset{"glorot_uniform", "GlorotUniform", 1.0, FanMode::fan_avg,
                          Distribution::uniform},
    VarianceScalingPreset{"glorot_normal", "GlorotNormal", 1.0, FanMode::fan_avg,
                          Distribution::truncated_normal},
    VarianceScalingPreset{"he_uniform", "HeUniform", 2.0, FanMode::fan_in, Distribution::uniform},
    VarianceScalingPreset{"he_normal", "HeNormal", 2.0, FanMode::fan_in,
                          Distribution::truncated_normal},
    VarianceScalingPreset{"lecun_uniform", "LecunUniform", 1.0, FanMode::fan_in,
                          Distribution::uniform},
    VarianceScalingPreset{"lecun_normal", "LecunNormal", 1.0, FanMode::fan_in,
                          Distribution::truncated_normal},
};

// TensorFlow's truncated normal: redraw anything beyond two standard deviations.
float truncated_sample(detail::Random& random) {
  for (;;) {
    const float value = random.next_normal();
    if (std::abs(value) <= 2.0f) return value;
  }
}

Tensor sample(const std::vector<std::int64_t>& shape, Distribution distribution, double center,
              double spread, std::uint64_t seed) {
  Tensor tensor = Tensor::empty(shape);
  detail::Random random(seed);
  float* values = tensor.data<float>();
  const std::int64_t size = tensor.size();
  for (std::int64_t i = 0; i < size; ++i) {
    double unit = 0.0;
    switch (distribution) {
      case Distribution::uniform:
        unit = 2.0 * random.next_unit() - 1.0;
        break;
      case Distribution::truncated_normal:
        unit = truncated_sample(random);
        break;
      case Distribution::untruncated_normal:
        unit = random.next_normal();
        break;
    }
    values[i] = static_cast<float>(center + spread * unit);
  }
  return tensor;
}

}  // namespace

std::pair<double, double> compute_fans(const std::vector<std::int64_t>& shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive_field = 1.0;
  for (std::size_t axis = 0; axis + 2 < shape.size(); ++axis)
    receptive_field *= double(shape[axis]);
  return {double(shape[shape.size() - 2]) * receptive_field,
          double(shape[shape.size() - 1]) * receptive_field};
}

Initializer::Initializer(std::string class_name, Kind kind)
    : class_name_(std::move(class_name)), kind_(kind) {}

Initializer::Initializer(const char* identifier) : Initializer(std::string_view(identifier)) {}

Initializer::Initializer(std::string_view identifier) : kind_(Kind::zeros) {
  for (const auto& preset : variance_scaling_presets) {
    if (identifier == preset.identifier) {
      *this = variance_scaling(preset.scale, preset.mode, preset.distribution);
      class_name_ = preset.class_name;
      return;
    }
  }
  if (identifier == "zeros") {
    *this = Initializer("Zeros", Kind::zeros);
  } else if (identifier == "ones") {
    *this = Initializer("Ones", Kind::ones);
  } else if (identifier == "random_uniform") {
    *this = random_uniform();
  } else if (identifier == "random_normal") {
    *this = random_normal();
  } else if (identifier == "truncated_normal") {
    *this = truncated_normal();
  } else {
    throw ValueError(fmt::format("Could not interpret initializer identifier: {}", identifier));
  }
}

Initializer Initializer::constant(double value) {
  Initializer initializer("Constant", Kind::constant);
  initializer.a_ = value;
  return initializer;
}

Initializer Initializer::random_uniform(double minval, double maxval,
                                        std::optional<std::uint64_t> seed) {
  Initializer initializer("RandomUniform", Kind::random_uniform);
  initializer.a_ = minval;
  initializer.b_ = maxval;
  initializer.seed_ = seed;
  return initializer;
}

Initializer Initializer::random_normal(double mean, double stddev,
                                       std::optional<std::uint64_t> seed) {
  Initializer initializer("RandomNormal", Kind::random_normal);
  initializer.a_ = mean;
  initializer.b_ = stddev;
  initializer.seed_ = seed;
  return initializer;
}

Initializer Initializer::truncated_normal(double mean, double stddev,
                                          std::optional<std::uint64_t> seed) {
  Initializer initializer("TruncatedNormal", Kind::truncated_normal);
  initializer.a_ = mean;
  initializer.b_ = stddev;
  initializer.seed_ = seed;
  return initializer;
}

Initializer Initializer::variance_scaling(double scale, FanMode mode, Distribution distribution,
                                          std::optional<std::uint64_t> seed) {
  if (scale <= 0.0) {
    throw ValueError(
        fmt::format("Argument `scale` must be positive float. Received: scale={}", scale));
  }
  Initializer initializer("VarianceScaling", Kind::variance_scaling);
  initializer.scale_ = scale;
  initializer.mode_ = mode;
  initializer.distribution_ = distribution;
  initializer.seed_ = seed;
  return initializer;
}

Initializer Initializer::with_seed(std::uint64_t seed) const {
  Initializer copy = *this;
  copy.seed_ = seed;
  return copy;
}

Tensor Initializer::operator()(const std::vector<std::int64_t>& shape) const {
  const std::uint64_t seed = seed_ ? *seed_ : detail::next_seed();
  if (detail::WeightsFromFile::active()) return Tensor::zeros(shape);
  switch (kind_) {
    case Kind::zeros:
      return Tensor::zeros(shape);
    case Kind::ones:
      return Tensor::ones(shape);
    case Kind::constant:
      return Tensor::full(shape, a_);
    case Kind::random_uniform:
      return sample(shape, Distribution::uniform, (a_ + b_) / 2, (b_ - a_) / 2, seed);
    case Kind::random_normal:
      return sample(shape, Distribution::untruncated_normal, a_, b_, seed);
    case Kind::truncated_normal:
      return sample(shape, Distribution::truncated_normal, a_, b_, seed);
    case Kind::variance_scaling:
      break;
  }
  const auto [fan_in, fan_out] = compute_fans(shape);
  const double fan = mode_ == FanMode::fan_in    ? fan_in
                     : mode_ == FanMode::fan_out ? fan_out
                                                 : (fan_in + fan_out) / 2;
  const double variance = scale_ / std::max(1.0, fan);
  switch (distribution_) {
    case Distribution::uniform:
      return sample(shape, distribution_, 0.0, std::sqrt(3.0 * variance), seed);
    case Distribution::truncated_normal:
      // The standard deviation of a unit normal truncated at +-2.
      return sample(shape, distribution_, 0.0, std::sqrt(variance) / 0.87962566103423978, seed);
    case Distribution::untruncated_normal:
      return sample(shape, distribution_, 0.0, std::sqrt(variance), seed);
  }
  return Tensor::zeros(shape);
}

}  // namespace keras::initializers
