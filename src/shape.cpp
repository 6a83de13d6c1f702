// SPDX-License-Identifier: Apache-2.0
#include "keras/shape.h"

#include "keras/error.h"

#include <fmt/format.h>

#include <ostream>

namespace keras {

Shape Shape::of(std::span<const std::int64_t> sizes) {
  return Shape(std::vector<Dim>(sizes.begin(), sizes.end()));
}

bool Shape::is_fully_defined() const noexcept {
  for (const Dim& dim : dims_) {
    if (!dim) return false;
  }
  return true;
}

Dim Shape::num_elements() const noexcept {
  std::int64_t product = 1;
  for (const Dim& dim : dims_) {
    if (!dim) return None;
    product *= *dim;
  }
  return product;
}

std::vector<std::int64_t> Shape::sizes() const {
  if (!is_fully_defined()) {
    throw ValueError(
        fmt::format("Shape {} is not fully defined: every axis must be known.", to_string()));
  }
  std::vector<std::int64_t> sizes;
  sizes.reserve(dims_.size());
  for (const Dim& dim : dims_) sizes.push_back(*dim);
  return sizes;
}

Shape Shape::with_batch(Dim batch) const {
  std::vector<Dim> dims{batch};
  dims.insert(dims.end(), dims_.begin(), dims_.end());
  return Shape(std::move(dims));
}

Shape Shape::without_batch() const {
  if (dims_.empty()) return {};
  return Shape(std::vector<Dim>(dims_.begin() + 1, dims_.end()));
}

bool Shape::is_compatible_with(const Shape& other) const noexcept {
  if (rank() != other.rank()) return false;
  for (std::size_t axis = 0; axis < dims_.size(); ++axis) {
    const Dim& mine = dims_[axis];
    const Dim& theirs = other.dims_[axis];
    if (mine && theirs && *mine != *theirs) return false;
  }
  return true;
}

std::string Shape::to_string() const {
  std::string text = "(";
  for (std::size_t axis = 0; axis < dims_.size(); ++axis) {
    if (axis > 0) text += ", ";
    text += dims_[axis] ? std::to_string(*dims_[axis]) : "None";
  }
  // A one-element tuple keeps its trailing comma in Python: (None,).
  if (dims_.size() == 1) text += ',';
  return text + ')';
}

std::ostream& operator<<(std::ostream& out, const Shape& shape) { return out << shape.to_string(); }

}  // namespace keras
