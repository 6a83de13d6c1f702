// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <string>

namespace keras {

/// A layer weight: a named tensor, whether training updates it, and its gradient.
/// Copies are handles to the same storage, like Keras variables: assigning through one
/// is seen through all.
class Variable {
 public:
  Variable(std::string path, Tensor value, bool trainable);

  /// Keras's variable path, `"<layer name>/<weight name>"`, e.g. `"dense/kernel"`.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The weight's own name, e.g. `"kernel"`.
  [[nodiscard]] std::string name() const;
  [[nodiscard]] bool trainable() const noexcept { return trainable_; }
  [[nodiscard]] const Tensor& value() const noexcept { return value_; }
  [[nodiscard]] Tensor& value() noexcept { return value_; }
  /// dL/dvalue from the last backward pass, same shape as value().
  [[nodiscard]] const Tensor& gradient() const noexcept { return gradient_; }
  [[nodiscard]] Tensor& gradient() noexcept { return gradient_; }
  /// Copies `values` into the weight; throws ValueError naming the path when shapes differ.
  void assign(const Tensor& values);

 private:
  std::string path_;
  Tensor value_;
  Tensor gradient_;
  bool trainable_;
};

}  // namespace keras
