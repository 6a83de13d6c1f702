// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/mean.h"

#include "detail/tensor_values.h"
#include "io/json.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <span>

namespace keras::metrics {
namespace {

double mean_of(std::span<const double> values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

bool is_leading_part(const std::vector<std::int64_t>& part,
                     const std::vector<std::int64_t>& whole) {
  return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

}  // namespace

Mean::Mean(MeanOptions options) : Metric(std::move(options.name)) {}

void Mean::update_state(double value, double sample_weight) {
  total_ += value * sample_weight;
  count_ += sample_weight;
}

// Keras's reduce_to_samplewise_values, then total += sum(values), count += sum(weights).
void Mean::update_state(const Tensor& values, const Tensor& sample_weight) {
  const std::vector<double> v = keras::detail::to_doubles(values);
  if (!sample_weight.defined()) {
    if (values.rank() == 0) return update_state(v.at(0));
    const std::int64_t samples = values.dim(0);
    if (samples == 0) return;
    const std::size_t per_sample = v.size() / static_cast<std::size_t>(samples);
    for (std::size_t sample = 0; sample < static_cast<std::size_t>(samples); ++sample) {
      total_ += mean_of(std::span(v).subspan(sample * per_sample, per_sample));
    }
    count_ += static_cast<double>(samples);
    return;
  }
  if (!is_leading_part(sample_weight.shape(), values.shape())) {
    throw ValueError(fmt::format(
        "Metric \"{}\": sample_weight of shape {} does not go with values of shape {}; its "
        "shape must be the first axes of the values' shape",
        name(), Shape::of(sample_weight.shape()).to_string(),
        Shape::of(values.shape()).to_string()));
  }
  const std::vector<double> w = keras::detail::to_doubles(sample_weight);
  if (sample_weight.rank() == 0) return update_state(mean_of(v), w.at(0));
  const std::int64_t samples = sample_weight.dim(0);
  if (samples == 0) return;
  const std::size_t group = v.size() / w.size();  // values under one weight
  const std::size_t weights_per_sample = w.size() / static_cast<std::size_t>(samples);
  for (std::size_t sample = 0; sample < static_cast<std::size_t>(samples); ++sample) {
    double weighted = 0.0;
    double weight = 0.0;
    for (std::size_t k = 0; k < weights_per_sample; ++k) {
      const std::size_t at = sample * weights_per_sample + k;
      weighted += mean_of(std::span(v).subspan(at * group, group)) * w[at];
      weight += w[at];
    }
    total_ += weighted / static_cast<double>(weights_per_sample);
    count_ += weight / static_cast<double>(weights_per_sample);
  }
}

double Mean::result() const { return count_ == 0.0 ? 0.0 : total_ / count_; }

void Mean::reset_state() {
  total_ = 0.0;
  count_ = 0.0;
}

std::string Mean::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}}.dump();
}

}  // namespace keras::metrics
