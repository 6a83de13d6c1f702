// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace keras {

/// One axis of a symbolic shape: a size, or unknown (Keras's `None`).
using Dim = std::optional<std::int64_t>;

/// Keras's `None` in shapes: `Shape{None, 28, 28, 1}`.
inline constexpr std::nullopt_t None = std::nullopt;

/// A symbolic shape as Keras computes it before data arrives; any axis may be unknown.
/// Printed as Python prints the tuple: `(None, 784)`, `(None,)`, `()`.
class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<Dim> dims) : dims_(dims) {}
  explicit Shape(std::vector<Dim> dims) : dims_(std::move(dims)) {}

  /// The shape of concrete data, every axis known.
  [[nodiscard]] static Shape of(std::span<const std::int64_t> sizes);

  [[nodiscard]] int rank() const noexcept { return static_cast<int>(dims_.size()); }
  [[nodiscard]] const Dim& operator[](int axis) const {
    return dims_.at(static_cast<std::size_t>(axis));
  }
  [[nodiscard]] const std::vector<Dim>& dims() const noexcept { return dims_; }
  [[nodiscard]] auto begin() const noexcept { return dims_.begin(); }
  [[nodiscard]] auto end() const noexcept { return dims_.end(); }

  /// True when every axis is known.
  [[nodiscard]] bool is_fully_defined() const noexcept;
  /// The product of all axes, or None when one is unknown.
  [[nodiscard]] Dim num_elements() const noexcept;
  /// The sizes of a fully defined shape; throws ValueError naming the shape otherwise.
  [[nodiscard]] std::vector<std::int64_t> sizes() const;

  /// This shape with `batch` prepended: `Shape{28, 28}.with_batch(None)` is `(None, 28, 28)`.
  [[nodiscard]] Shape with_batch(Dim batch) const;
  /// All axes but the first.
  [[nodiscard]] Shape without_batch() const;
  /// True when the sizes could describe the same data: known axes agree and the ranks match.
  [[nodiscard]] bool is_compatible_with(const Shape& other) const noexcept;

  /// Python's tuple notation, as Keras prints shapes in messages.
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Shape&, const Shape&) = default;

 private:
  std::vector<Dim> dims_;
};

std::ostream& operator<<(std::ostream& out, const Shape& shape);

/// An optional shape argument that takes a braced list, so options read like Python:
/// `.input_shape = {28, 28, 1}`. Empty braces mean "not given"; a rank-0 shape is
/// `keras::Shape{}`.
class OptionalShape : public std::optional<Shape> {
 public:
  using std::optional<Shape>::optional;
  OptionalShape(std::initializer_list<Dim> dims) : std::optional<Shape>(Shape(dims)) {}
  OptionalShape(std::optional<Shape> shape) : std::optional<Shape>(std::move(shape)) {}
};

}  // namespace keras
