// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/mean_squared_error.h"

#include "io/json.h"
#include "metrics/metric_targets.h"

namespace keras::metrics {

MeanSquaredError::MeanSquaredError(MeanSquaredErrorOptions options)
    : Metric(options.name), options_(std::move(options)) {}

void MeanSquaredError::update_state(const Tensor& y_true, const Tensor& y_pred) {
  detail::check_elementwise_target(*this, y_true, y_pred);
  mean_.update_state(
      detail::row_means(y_true, y_pred, [](double t, double p) { return (p - t) * (p - t); }));
}

std::string MeanSquaredError::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}}.dump();
}

}  // namespace keras::metrics
