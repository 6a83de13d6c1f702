// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/mean_absolute_error.h"

#include "io/json.h"
#include "metrics/metric_targets.h"

#include <cmath>

namespace keras::metrics {

MeanAbsoluteError::MeanAbsoluteError(MeanAbsoluteErrorOptions options)
    : Metric(options.name), options_(std::move(options)) {}

void MeanAbsoluteError::update_state(const Tensor& y_true, const Tensor& y_pred) {
  detail::check_elementwise_target(*this, y_true, y_pred);
  mean_.update_state(
      detail::row_means(y_true, y_pred, [](double t, double p) { return std::abs(p - t); }));
}

std::string MeanAbsoluteError::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}}.dump();
}

}  // namespace keras::metrics
