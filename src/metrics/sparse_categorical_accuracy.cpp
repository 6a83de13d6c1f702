// SPDX-License-Identifier: Apache-2.0
#include "keras/metrics/sparse_categorical_accuracy.h"

#include "io/json.h"
#include "metrics/metric_targets.h"

namespace keras::metrics {

SparseCategoricalAccuracy::SparseCategoricalAccuracy(SparseCategoricalAccuracyOptions options)
    : Metric(options.name), options_(std::move(options)) {}

void SparseCategoricalAccuracy::update_state(const Tensor& y_true, const Tensor& y_pred) {
  detail::check_label_target(*this, y_true, y_pred);
  // Keras compares in y_pred's float type: a label 2.0 matches class 2, 2.5 matches none.
  const std::vector<float> labels = y_true.to_vector();
  const std::vector<std::int64_t> predicted = detail::argmax_rows(y_pred);
  std::vector<double> matches(predicted.size());
  for (std::size_t row = 0; row < matches.size(); ++row) {
    matches[row] = labels[row] == static_cast<float>(predicted[row]) ? 1.0 : 0.0;
  }
  mean_.update_state(detail::per_row(matches, y_pred));
}

std::string SparseCategoricalAccuracy::get_config() const {
  return io::Json{{"name", name()}, {"dtype", "float32"}}.dump();
}

}  // namespace keras::metrics
