// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <memory>
#include <string>

namespace keras {

/// A layer weight: a named tensor, whether training updates it, and its gradient.
/// Copies are handles to the same storage, like Keras variables: assigning through one
/// is seen through all, and they share one version(). Loading weights from a file may move
/// the values to other memory (they can stay in the bytes read from the file), so take
/// pointers into value() after loading, not before; tensors keep seeing the values.
class Variable {
 public:
  Variable(std::string path, Tensor value, bool trainable);

  /// Keras's variable path, `"<layer name>/<weight name>"`, e.g. `"dense/kernel"`.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// The weight's own name, e.g. `"kernel"`.
  [[nodiscard]] std::string name() const;
  [[nodiscard]] bool trainable() const noexcept { return trainable_; }
  [[nodiscard]] const Tensor& value() const noexcept { return value_; }
  /// The values, writable in place; call mark_modified() after writing through it.
  [[nodiscard]] Tensor& value() noexcept { return value_; }
  /// dL/dvalue from the last backward pass, same shape as value(); zeros before the first.
  /// Made on first use, so a model that only predicts holds no gradients.
  [[nodiscard]] const Tensor& gradient() const;
  [[nodiscard]] Tensor& gradient();
  /// Copies `values` into the weight; throws ValueError naming the path when shapes differ.
  /// Moves version() on by one.
  void assign(const Tensor& values);

  /// How many times the values changed: one for each assign() and mark_modified(), from 0.
  /// Kernels that keep the weights in another layout (Conv2D's, Dense's) make that copy again
  /// only when the version moved, so a write that does not count is not seen by them.
  [[nodiscard]] std::uint64_t version() const noexcept { return *version_; }
  /// Records that value() was written in place, as an optimizer's update does; call it once
  /// after each such write, before the next forward pass.
  void mark_modified() noexcept { ++*version_; }
  /// Whether `other` is a handle to this same variable (Python's `is`), not merely one of the
  /// same path and shape.
  [[nodiscard]] bool same_as(const Variable& other) const noexcept {
    return version_ == other.version_;
  }

 private:
  [[nodiscard]] Tensor& shared_gradient() const;

  std::string path_;
  Tensor value_;
  std::shared_ptr<Tensor> gradient_;  // shared by the copies; undefined until first used
  bool trainable_;
  std::shared_ptr<std::uint64_t> version_;  // shared by the copies, as the values are
};

}  // namespace keras
