// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/optimizer.h"

#include "detail/python_repr.h"
#include "keras/shape.h"
#include "optimizers/optimizer_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace keras::optimizers {
namespace {

constexpr std::string_view recreate_advice =
    "This optimizer can only be called for the variables it was originally built with. When "
    "working with a new set of variables, you should recreate a new optimizer instance.";

// Keras clips only with a clipping argument that is set and > 0 (base_optimizer.py
// `_clip_gradients`).
bool clips_with(const std::optional<double>& argument) {
  return argument.has_value() && *argument > 0.0;
}

float sum_of_squares(const Tensor& tensor) {
  const float* values = tensor.data<float>();
  double sum = 0.0;
  for (std::int64_t i = 0; i < tensor.size(); ++i) sum += double{values[i]} * double{values[i]};
  return static_cast<float>(sum);
}

template <typename Function>
Tensor transformed(const Tensor& tensor, Function function) {
  Tensor result = Tensor::empty(tensor.shape());
  const float* source = tensor.data<float>();
  float* destination = result.data<float>();
  for (std::int64_t i = 0; i < tensor.size(); ++i) destination[i] = function(source[i]);
  return result;
}

std::string shape_text(const Tensor& tensor) { return Shape::of(tensor.shape()).to_string(); }

}  // namespace

Optimizer::Optimizer(std::string name, double learning_rate, CommonOptions common)
    : name_(std::move(name)),
      learning_rate_(0.0),
      common_(common),
      iteration_(Tensor::zeros({}, DType::int64)),
      learning_rate_variable_(Tensor::zeros({}, DType::float32)) {
  set_learning_rate(learning_rate);
  const int clip_arguments = static_cast<int>(common_.clipnorm.has_value()) +
                             static_cast<int>(common_.clipvalue.has_value()) +
                             static_cast<int>(common_.global_clipnorm.has_value());
  if (clip_arguments > 1) {
    throw ValueError(fmt::format(
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
        "clipnorm={}, clipvalue={}, global_clipnorm={}",
        python_optional_float(common_.clipnorm), python_optional_float(common_.clipvalue),
        python_optional_float(common_.global_clipnorm)));
  }
}

void Optimizer::set_learning_rate(double learning_rate) {
  if (!std::isfinite(learning_rate) || learning_rate < 0.0) {
    throw ValueError(fmt::format(
        "Optimizer '{}': `learning_rate` must be a finite float >= 0. Received: learning_rate={}",
        name_, detail::python_float(learning_rate)));
  }
  learning_rate_ = learning_rate;
  *learning_rate_variable_.data<float>() = static_cast<float>(learning_rate);
}

void Optimizer::build(const std::vector<Variable>& variables) {
  // Keras builds once; later calls keep the slots (base_optimizer.py `build`).
  if (built_) return;
  std::unordered_map<std::string, std::size_t> index;
  for (const Variable& variable : variables) {
    if (variable.value().dtype() != DType::float32) {
      throw TypeError(
          fmt::format("Optimizer '{}' updates float32 variables; variable '{}' has dtype {}", name_,
                      variable.path(), name_of(variable.value().dtype())));
    }
    if (!index.emplace(variable.path(), index.size()).second) {
      throw ValueError(fmt::format(
          "Optimizer '{}' cannot be built for two variables with the path '{}': Keras's "
          "variable paths, which name its saved state, are unique in a model",
          name_, variable.path()));
    }
  }
  const std::vector<std::string> names = slot_names();
  for (const Variable& variable : variables) {
    std::vector<Tensor> slots;
    for (std::size_t slot = 0; slot < names.size(); ++slot) {
      slots.push_back(Tensor::zeros(variable.value().shape()));
    }
    slots_.push_back(std::move(slots));
  }
  variables_ = variables;
  slot_index_ = std::move(index);
  built_ = true;
}

std::vector<std::size_t> Optimizer::slot_indices(const std::vector<Variable>& variables) const {
  // As Keras, any of the variables it was built for, in any order: a layer frozen after the
  // optimizer was built (as loading a compiled model builds it) drops out of the list.
  // Keras knows its variables by identity, not by name: another variable of the same path (a
  // second model with the same layer names) is unknown too.
  std::vector<std::size_t> indices;
  for (const Variable& variable : variables) {
    const auto found = slot_index_.find(variable.path());
    if (found == slot_index_.end()) {
      throw ValueError(fmt::format(
          "Unknown variable: '{}' in optimizer '{}', which was built for {} other variables. {}",
          variable.path(), name_, variables_.size(), recreate_advice));
    }
    const Variable& built_for = variables_[found->second];
    if (!built_for.same_as(variable)) {
      throw ValueError(fmt::format(
          "Unknown variable: '{}' in optimizer '{}', which was built for another variable of "
          "that path. {}",
          variable.path(), name_, recreate_advice));
    }
    if (built_for.value().shape() != variable.value().shape()) {
      throw ValueError(fmt::format(
          "Optimizer '{}' was built for variable '{}' of shape {}, which now has shape {}. {}",
          name_, variable.path(), shape_text(built_for.value()), shape_text(variable.value()),
          recreate_advice));
    }
    if (std::find(indices.begin(), indices.end(), found->second) != indices.end()) {
      throw ValueError(fmt::format(
          "Optimizer '{}' received variable '{}' twice in one apply(): it would update it twice",
          name_, variable.path()));
    }
    indices.push_back(found->second);
  }
  return indices;
}

void Optimizer::check_variables(const std::vector<Variable>& variables) const {
  for (const Variable& variable : variables) {
    const Tensor& gradient = variable.gradient();
    if (gradient.dtype() != DType::float32 || gradient.shape() != variable.value().shape()) {
      throw ValueError(fmt::format(
          "Optimizer '{}': the gradient of variable '{}' is {} of shape {}, but the variable is "
          "float32 of shape {}",
          name_, variable.path(), name_of(gradient.dtype()), shape_text(gradient),
          shape_text(variable.value())));
    }
    if (!variable.value().is_contiguous()) {
      throw ValueError(fmt::format(
          "Optimizer '{}' updates variables in place, and variable '{}' is a strided view", name_,
          variable.path()));
    }
  }
}

std::vector<Tensor> Optimizer::clipped_gradients(const std::vector<Variable>& variables) const {
  std::vector<Tensor> gradients;
  for (const Variable& variable : variables) gradients.push_back(variable.gradient().contiguous());
  // Keras applies the first of clipnorm, global_clipnorm and clipvalue that is set, in
  // float32 and with its formulas (base_optimizer.py `_clip_by_norm`, `clip_by_global_norm`).
  if (clips_with(common_.clipnorm)) {
    const auto clipnorm = static_cast<float>(*common_.clipnorm);
    for (Tensor& gradient : gradients) {
      const float divisor = std::max(std::sqrt(sum_of_squares(gradient)), clipnorm);
      gradient = transformed(gradient, [&](float g) { return g * clipnorm / divisor; });
    }
  } else if (clips_with(common_.global_clipnorm)) {
    const auto clipnorm = static_cast<float>(*common_.global_clipnorm);
    float squares = 0.0f;
    for (const Tensor& gradient : gradients) squares += sum_of_squares(gradient);
    const float norm = std::sqrt(squares);
    // `norm - norm` is 0, or NaN for an infinite or NaN norm: then every gradient is NaN.
    const float scale = clipnorm * std::min(1.0f / norm, 1.0f / clipnorm) + (norm - norm);
    for (Tensor& gradient : gradients) {
      gradient = transformed(gradient, [&](float g) { return g * scale; });
    }
  } else if (clips_with(common_.clipvalue)) {
    const auto bound = static_cast<float>(*common_.clipvalue);
    for (Tensor& gradient : gradients) {
      gradient = transformed(gradient, [&](float g) { return std::clamp(g, -bound, bound); });
    }
  }
  return gradients;
}

void Optimizer::decay_weights(Tensor& value) const {
  // Decoupled weight decay on every variable, before the update, as Keras 3 applies it to
  // all optimizers (base_optimizer.py `_apply_weight_decay`: `w - w * wd * lr`, in float32).
  if (!common_.weight_decay) return;
  const auto weight_decay = static_cast<float>(*common_.weight_decay);
  const auto learning_rate = static_cast<float>(learning_rate_);
  float* weights = value.data<float>();
  for (std::int64_t i = 0; i < value.size(); ++i) {
    weights[i] -= weights[i] * weight_decay * learning_rate;
  }
}

void Optimizer::apply(const std::vector<Variable>& variables) {
  // As Keras's `apply`, an empty list is a no-op that does not count as a step.
  if (variables.empty()) return;
  build(variables);
  const std::vector<std::size_t> slots = slot_indices(variables);
  check_variables(variables);
  const std::vector<Tensor> gradients = clipped_gradients(variables);
  const std::int64_t step = iterations() + 1;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    Variable variable = variables[i];  // a handle: the update reaches the caller's variable
    decay_weights(variable.value());
    update(variable.value(), gradients[i], slots_[slots[i]], step);
    variable.mark_modified();
  }
  *iteration_.data<std::int64_t>() += 1;
}

std::vector<Variable> Optimizer::variables() const {
  std::vector<Variable> result{Variable(name_ + "/iteration", iteration_, false),
                               Variable(name_ + "/learning_rate", learning_rate_variable_, false)};
  const std::vector<std::string> names = slot_names();
  const auto add_slot = [&](std::size_t variable, std::size_t slot) {
    std::string path = variables_[variable].path();
    std::replace(path.begin(), path.end(), '/', '_');
    result.emplace_back(fmt::format("{}/{}_{}", name_, path, names[slot]), slots_[variable][slot],
                        false);
  };
  if (interleaves_slots()) {
    for (std::size_t variable = 0; variable < slots_.size(); ++variable) {
      for (std::size_t slot = 0; slot < names.size(); ++slot) add_slot(variable, slot);
    }
  } else {
    for (std::size_t slot = 0; slot < names.size(); ++slot) {
      for (std::size_t variable = 0; variable < slots_.size(); ++variable) add_slot(variable, slot);
    }
  }
  return result;
}

std::string Optimizer::to_json() const {
  io::Json serialized;
  serialized["module"] = "keras.optimizers";
  serialized["class_name"] = class_name();
  serialized["config"] = io::Json::parse(get_config());
  serialized["registered_name"] = nullptr;
  return serialized.dump();
}

}  // namespace keras::optimizers
