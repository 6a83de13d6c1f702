// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/binary_accuracy.h"

#include "detail/python_repr.h"
#include "io/json.h"
#include "keras/error.h"
#include "metrics/metric_targets.h"

#include <fmt/format.h>

namespace keras::metrics {

BinaryAccuracy::BinaryAccuracy(BinaryAccuracyOptions options)
    : Metric(options.name), options_(std::move(options)) {
  if (!(options_.threshold > 0.0 && options_.threshold < 1.0)) {
    throw ValueError(
        fmt::format("Invalid value for argument `threshold`. Expected a value in interval (0, 1). "
                    "Received: threshold={}",
                    keras::detail::python_float(options_.threshold)));
  }
}

void BinaryAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred) {
  detail::check_elementwise_target(*this, y_true, y_pred);
  // Keras compares in y_pred's float type, the threshold too.
  const auto threshold = static_cast<float>(options_.threshold);
  mean_.update_state(detail::row_means(y_true, y_pred, [threshold](double t, double p) {
    return static_cast<float>(t) == (static_cast<float>(p) > threshold ? 1.0f : 0.0f) ? 1.0 : 0.0;
  }));
}

std::string BinaryAccuracy::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}, {"threshold", options_.threshold}}.dump();
}

}  // namespace keras::metrics
