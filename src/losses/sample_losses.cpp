// SPDX-License-Identifier: Apache-2.0
#include "losses/sample_losses.h"

#include <numeric>

namespace keras::losses::detail {

ClassAxis::ClassAxis(const std::vector<std::int64_t>& shape, int axis) {
  const auto at = static_cast<std::size_t>(axis);
  for (std::size_t i = 0; i < at; ++i) outer *= shape[i];
  classes = shape[at];
  for (std::size_t i = at + 1; i < shape.size(); ++i) inner *= shape[i];
}

std::vector<std::int64_t> shape_without(std::vector<std::int64_t> shape, int axis) {
  shape.erase(shape.begin() + axis);
  return shape;
}

Tensor per_sample_tensor(const SampleLosses& losses, std::vector<std::int64_t> shape) {
  const std::vector<float> narrowed(losses.values.begin(), losses.values.end());
  return Tensor::from_data(narrowed, std::move(shape));
}

Loss::ValueAndGradient reduce(const SampleLosses& losses, std::string_view reduction,
                              std::vector<std::int64_t> y_pred_shape) {
  const double sum = std::accumulate(losses.values.begin(), losses.values.end(), 0.0);
  double scale = 1.0;
  if (reduction == "sum_over_batch_size" && !losses.values.empty()) {
    scale = 1.0 / losses.mean_divisor.value_or(static_cast<double>(losses.values.size()));
  }
  std::vector<float> gradient(losses.gradient.size());
  for (std::size_t i = 0; i < gradient.size(); ++i) {
    gradient[i] = static_cast<float>(losses.gradient[i] * scale);
  }
  return {sum * scale, Tensor::from_data(gradient, std::move(y_pred_shape))};
}

}  // namespace keras::losses::detail
