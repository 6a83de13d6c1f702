// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/categorical_accuracy.h"

#include "io/json.h"
#include "metrics/metric_targets.h"

namespace keras::metrics {

CategoricalAccuracy::CategoricalAccuracy(CategoricalAccuracyOptions options)
    : Metric(options.name), options_(std::move(options)) {}

void CategoricalAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred) {
  detail::check_has_class_axis(*this, y_pred);
  if (y_true.shape() != y_pred.shape()) {
    const bool labels = y_true.rank() < y_pred.rank() || (y_true.rank() > 0 && y_true.dim(-1) == 1);
    detail::throw_shape_mismatch(
        *this, y_true, y_pred,
        labels ? ". For class labels use \"sparse_categorical_accuracy\"" : "");
  }
  const std::vector<std::int64_t> truth = detail::argmax_rows(y_true);
  const std::vector<std::int64_t> predicted = detail::argmax_rows(y_pred);
  std::vector<double> matches(predicted.size());
  for (std::size_t row = 0; row < matches.size(); ++row) {
    matches[row] = truth[row] == predicted[row] ? 1.0 : 0.0;
  }
  mean_.update_state(detail::per_row(matches, y_pred));
}

std::string CategoricalAccuracy::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}}.dump();
}

}  // namespace keras::metrics
