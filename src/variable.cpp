// SPDX-License-Identifier: Apache-2.0
#include "keras/variable.h"

#include "keras/shape.h"

#include <fmt/format.h>

namespace keras {

Variable::Variable(std::string path, Tensor value, bool trainable)
    : path_(std::move(path)),
      value_(std::move(value)),
      gradient_(std::make_shared<Tensor>()),
      trainable_(trainable),
      version_(std::make_shared<std::uint64_t>(0)) {}

const Tensor& Variable::gradient() const { return shared_gradient(); }

Tensor& Variable::gradient() { return shared_gradient(); }

Tensor& Variable::shared_gradient() const {
  if (!gradient_->defined()) *gradient_ = Tensor::zeros(value_.shape(), value_.dtype());
  return *gradient_;
}

std::string Variable::name() const {
  const auto slash = path_.rfind('/');
  return slash == std::string::npos ? path_ : path_.substr(slash + 1);
}

void Variable::assign(const Tensor& values) {
  if (values.shape() != value_.shape()) {
    throw ValueError(fmt::format("Variable '{}' has shape {}, but the assigned value has shape {}",
                                 path_, Shape::of(value_.shape()).to_string(),
                                 Shape::of(values.shape()).to_string()));
  }
  value_.copy_from(values);
  mark_modified();
}

}  // namespace keras
