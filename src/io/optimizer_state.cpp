// SPDX-License-Identifier: Apache-2.0
#include "io/optimizer_state.h"

#include "detail/python_repr.h"
#include "keras/error.h"
#include "keras/shape.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>

namespace keras::io {
namespace {

// optimizer.variables()'s order: the step count, the learning rate, then the slots.
constexpr std::size_t iteration_index = 0;
constexpr std::size_t learning_rate_index = 1;

void warn(const std::string& message) {
  fmt::print(stderr, "UserWarning: {}\n", message);
  std::fflush(stderr);
}

// The saved values for `variables`, one by one: `read(i)` reads saved value i as float32,
// `read_step(i)` as the int64 step count, `where(i)` names it. Nothing is assigned here.
struct SavedValues {
  std::function<Tensor(std::size_t)> read;
  std::function<std::int64_t(std::size_t)> read_step;
  std::function<std::string(std::size_t)> where;
};

// checked_state's checks, which throw the FileError of a value that cannot be read.
SavedOptimizerState checked_values(optimizers::Optimizer& optimizer, const SavedValues& saved) {
  const std::vector<Variable> variables = optimizer.variables();
  OptimizerState state{&optimizer, {}, 0.0f};
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (i == iteration_index) {
      // The next step is this one plus one, in int64.
      const std::int64_t steps = saved.read_step(i);
      if (steps < 0 || steps == std::numeric_limits<std::int64_t>::max()) {
        return {std::nullopt,
                fmt::format("Optimizer '{}' counts its steps from 0, but '{}' holds {}",
                            optimizer.name(), saved.where(i), steps)};
      }
      Tensor step = Tensor::zeros({}, DType::int64);
      *step.data<std::int64_t>() = steps;
      state.assignments.push_back({variables[i], std::move(step)});
      continue;
    }
    Tensor value = saved.read(i);
    if (value.shape() != variables[i].value().shape()) {
      return {std::nullopt,
              fmt::format("Variable '{}' expects shape {}, but '{}' has shape {}",
                          variables[i].path(), Shape::of(variables[i].value().shape()).to_string(),
                          saved.where(i), Shape::of(value.shape()).to_string())};
    }
    if (i != learning_rate_index) {
      state.assignments.push_back({variables[i], std::move(value)});
      continue;
    }
    state.learning_rate = *value.data<float>();
    if (!std::isfinite(state.learning_rate) || state.learning_rate < 0.0f) {
      return {
          std::nullopt,
          fmt::format("Optimizer '{}' takes a finite learning rate >= 0, but '{}' holds {}",
                      optimizer.name(), saved.where(i), detail::python_float(state.learning_rate))};
    }
  }
  return {std::move(state), std::nullopt};
}

// The state the saved values give `optimizer`, or the first problem: a value that does not
// read as its variable's type, one of another shape, a step count or learning rate the
// optimizer cannot take. (Keras counts a value it cannot assign as a failed object.)
SavedOptimizerState checked_state(optimizers::Optimizer& optimizer, const SavedValues& saved) {
  try {
    return checked_values(optimizer, saved);
  } catch (const FileError& error) {
    return {std::nullopt, error.what()};
  }
}

}  // namespace

SavedOptimizerState read_keras3_optimizer_state(const std::optional<hdf5::Group>& vars,
                                                optimizers::Optimizer& optimizer,
                                                const std::string& shown) {
  const std::size_t expected = optimizer.variables().size();
  const std::size_t found = vars ? vars->children(hdf5::Order::name).size() : 0;
  if (found != expected) {
    // Keras's words (base_optimizer.py `load_own_variables`), with the file.
    warn(
        fmt::format("Skipping variable loading for optimizer '{}', because it has {} variables "
                    "whereas the saved optimizer in '{}' has {} variables.",
                    optimizer.name(), expected, shown, found));
    return {};
  }
  const hdf5::Group& group = *vars;
  const auto key = [](std::size_t i) { return std::to_string(i); };
  return checked_state(optimizer, {[&](std::size_t i) { return group.read_float32(key(i)); },
                                   [&](std::size_t i) { return group.read_int64_scalar(key(i)); },
                                   [&](std::size_t i) { return group.child_path(key(i)); }});
}

std::optional<OptimizerState> read_legacy_optimizer_state(const hdf5::Group& root,
                                                          optimizers::Optimizer& optimizer,
                                                          const std::string& path) {
  if (!root.has_group("optimizer_weights")) return std::nullopt;
  const hdf5::Group group = root.group("optimizer_weights");
  const std::vector<std::string> names = group.has_attribute("weight_names")
                                             ? group.string_list_attribute("weight_names")
                                             : std::vector<std::string>{};
  const std::size_t expected = optimizer.variables().size();
  SavedOptimizerState saved;
  if (names.size() != expected) {
    saved.problem = fmt::format("optimizer '{}' has {} variables, the file holds {}",
                                optimizer.name(), expected, names.size());
  } else {
    saved =
        checked_state(optimizer, {[&](std::size_t i) { return group.read_float32(names[i]); },
                                  [&](std::size_t i) { return group.read_int64_scalar(names[i]); },
                                  [&](std::size_t i) { return group.child_path(names[i]); }});
  }
  if (saved.problem) {
    // Keras's words (legacy_h5_format.py), with the file and the reason.
    warn(
        fmt::format("Error in loading the saved optimizer state from '{}' ({}). As a result, "
                    "your model is starting with a freshly initialized optimizer.",
                    path, *saved.problem));
  }
  return std::move(saved.state);
}

void assign_all(hdf5::File& file, std::vector<Assignment> weights,
                std::optional<OptimizerState> state) {
  if (state) {
    for (Assignment& assignment : state->assignments) weights.push_back(std::move(assignment));
  }
  assign_all(file, std::move(weights));
  // The optimizer keeps the rate it was given as a double, and saves it as float32: the same
  // rate comes back as the double it was.
  if (state && static_cast<float>(state->optimizer->learning_rate()) != state->learning_rate) {
    state->optimizer->set_learning_rate(state->learning_rate);
  }
}

void write_keras3_optimizer_state(const hdf5::Group& vars, const optimizers::Optimizer& optimizer) {
  const std::vector<Variable> variables = optimizer.variables();
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const std::string key = std::to_string(i);
    if (i == iteration_index) {
      vars.write_int64_scalar(key, optimizer.iterations());
    } else {
      vars.write_float32(key, variables[i].value());
    }
  }
}

}  // namespace keras::io
