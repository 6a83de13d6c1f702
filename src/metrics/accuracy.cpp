// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/accuracy.h"

#include "io/json.h"
#include "metrics/metric_targets.h"

namespace keras::metrics {

Accuracy::Accuracy(AccuracyOptions options) : Metric(options.name), options_(std::move(options)) {}

void Accuracy::update_state(const Tensor& y_true, const Tensor& y_pred) {
  detail::check_elementwise_target(*this, y_true, y_pred);
  // Keras casts y_true to y_pred's float type before comparing.
  mean_.update_state(detail::row_means(y_true, y_pred, [](double t, double p) {
    return static_cast<float>(t) == static_cast<float>(p) ? 1.0 : 0.0;
  }));
}

std::string Accuracy::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}}.dump();
}

}  // namespace keras::metrics
