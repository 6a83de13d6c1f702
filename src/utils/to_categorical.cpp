// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/to_categorical.h"

#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace keras::utils {
namespace {

// The labels as doubles, which hold every integer a class count can reach exactly.
std::vector<double> label_values(const Tensor& y) {
  const Tensor values = y.astype(DType::float64).contiguous();
  const double* data = values.data<double>();
  std::vector<double> labels(data, data + values.size());
  for (std::size_t at = 0; at < labels.size(); ++at) {
    if (!std::isfinite(labels[at]) || labels[at] != std::floor(labels[at])) {
      throw ValueError(fmt::format(
          "to_categorical: label {} at position {} is not a whole number; labels must be "
          "class indices",
          labels[at], at));
    }
    // Doubles hold every integer up to 2^53 exactly; no class count comes near it.
    if (labels[at] > 0x1p53) {
      throw ValueError(
          fmt::format("to_categorical: label {} at position {} is too large to be a class index",
                      labels[at], at));
    }
    if (labels[at] < 0) {
      throw ValueError(fmt::format(
          "to_categorical: label {} at position {} is negative; labels must be class indices "
          "from 0",
          labels[at], at));
    }
  }
  return labels;
}

std::int64_t resolve_num_classes(const std::vector<double>& labels,
                                 std::optional<std::int64_t> num_classes) {
  if (num_classes) {
    if (*num_classes < 1) {
      throw ValueError(fmt::format(
          "to_categorical: num_classes must be a positive integer. Received: num_classes={}",
          *num_classes));
    }
    return *num_classes;
  }
  if (labels.empty()) {
    throw ValueError(
        "to_categorical: cannot infer num_classes from an empty array of labels; "
        "pass num_classes");
  }
  return static_cast<std::int64_t>(*std::max_element(labels.begin(), labels.end())) + 1;
}

}  // namespace

Tensor to_categorical(const Tensor& y, std::optional<std::int64_t> num_classes) {
  const std::vector<double> labels = label_values(y);
  const std::int64_t classes = resolve_num_classes(labels, num_classes);
  // Keras drops a trailing axis of size 1 (but keeps a lone axis): (N, 1) -> (N, classes).
  std::vector<std::int64_t> shape = y.shape();
  if (shape.size() > 1 && shape.back() == 1) shape.pop_back();
  shape.push_back(classes);

  for (std::size_t at = 0; at < labels.size(); ++at) {
    if (labels[at] >= static_cast<double>(classes)) {
      throw ValueError(fmt::format(
          "to_categorical: label {} at position {} is outside [0, {}) for num_classes={}",
          labels[at], at, classes, classes));
    }
  }
  Tensor one_hot = Tensor::zeros(shape);
  float* rows = one_hot.data<float>();
  for (std::size_t at = 0; at < labels.size(); ++at) {
    rows[static_cast<std::int64_t>(at) * classes + static_cast<std::int64_t>(labels[at])] = 1.0f;
  }
  return one_hot;
}

}  // namespace keras::utils
