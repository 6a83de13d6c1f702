// SPDX-License-Identifier: Apache-2.0
// Keras 3's weights layout (saving_lib's H5IOStore): /vars, /layers/<snake_case
// class>[_<n>]/vars/<i>.
#include "io/keras3_weights.h"

#include "detail/naming.h"
#include "io/atomic_file.h"
#include "io/hdf5_file.h"
#include "io/optimizer_state.h"
#include "io/weight_assignments.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <map>
#include <optional>

namespace keras::io {
namespace {

// Where Keras 3 keeps a compiled model's optimizer state (saving_lib: the model's attribute
// `optimizer`, its variables under `vars`).
constexpr const char* optimizer_vars = "optimizer/vars";

// The group names Keras 3 gives `model.layers` (InputLayer excluded): the snake-cased class
// name, then `_1`, `_2`, ... for later layers of the same class (saving_lib's
// _save_container_state), whatever the layers' own names are.
std::vector<std::string> layer_group_names(
    const std::vector<std::shared_ptr<layers::Layer>>& list) {
  std::map<std::string, int, std::less<>> used;
  std::vector<std::string> names;
  for (const auto& layer : list) {
    std::string name = detail::to_snake_case(layer->class_name());
    if (auto it = used.find(name); it != used.end()) {
      name = fmt::format("{}_{}", name, ++it->second);
    } else {
      used.emplace(name, 0);
    }
    names.push_back(std::move(name));
  }
  return names;
}

std::string quoted_list(const std::vector<Variable>& variables) {
  std::string text;
  for (const Variable& variable : variables) {
    text += fmt::format("{}'{}'", text.empty() ? "" : ", ", variable.name());
  }
  return "[" + text + "]";
}

// Checks one layer's `vars` group against the layer; returns Keras's message for the first
// problem, or nothing (and queues the assignments) when it fits.
std::optional<std::string> check_layer(const layers::Layer& layer,
                                       const std::optional<hdf5::Group>& vars,
                                       std::vector<Assignment>& assignments) {
  const std::vector<Variable> variables = layer.weights();
  const std::size_t found = vars ? vars->children(hdf5::Order::name).size() : 0;
  if (found != variables.size()) {
    if (variables.empty() && !layer.built()) {
      return fmt::format(
          "Layer '{}' was never built and thus it doesn't have any variables. However the "
          "weights file lists {} variables for this layer.",
          layer.name(), found);
    }
    return fmt::format(
        "Layer '{}' expected {} variables, but received {} variables during loading. "
        "Expected: {}",
        layer.name(), variables.size(), found, quoted_list(variables));
  }
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const std::string key = std::to_string(i);
    if (!vars->has_dataset(key)) {
      return fmt::format("Layer '{}' has no dataset '{}' for variable '{}'", layer.name(),
                         vars->child_path(key), variables[i].path());
    }
    Tensor value = vars->read_float32(key);
    if (value.shape() != variables[i].value().shape()) {
      return fmt::format("Variable '{}' expects shape {}, but '{}' has shape {}",
                         variables[i].path(), Shape::of(variables[i].value().shape()).to_string(),
                         vars->child_path(key), Shape::of(value.shape()).to_string());
    }
    assignments.push_back({variables[i], std::move(value)});
  }
  return std::nullopt;
}

// What a load assigns: the layers' weights and, for a compiled model, its optimizer's state.
struct CheckedLoad {
  std::vector<Assignment> weights;
  std::optional<OptimizerState> optimizer_state;
};

CheckedLoad checked_load(const hdf5::File& file, Sequential& model, const std::string& shown) {
  const hdf5::Group& root = file.root();
  // Keras 2.13-2.15 named the layer list after the attribute that held it.
  std::optional<hdf5::Group> container;
  for (const char* name : {"layers", "_layer_checkpoint_dependencies"}) {
    if (!container && root.has_group(name)) container = root.group(name);
  }
  const std::vector<std::shared_ptr<layers::Layer>> list = model.layers();
  const std::vector<std::string> names = layer_group_names(list);
  if (!container && !model.weights().empty()) {
    throw FileError(shown, fmt::format("Cannot load weights from '{}': it has no group 'layers' "
                                       "(it is not a Keras 3 weights file)",
                                       shown));
  }

  std::vector<Assignment> assignments;
  std::size_t failures = 0;
  std::string first_failure;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string vars_path = fmt::format("{}/vars", names[i]);
    std::optional<hdf5::Group> vars;
    if (container && container->has_group(vars_path)) vars = container->group(vars_path);
    const std::optional<std::string> problem = check_layer(*list[i], vars, assignments);
    if (problem && failures++ == 0) {
      const std::string where =
          container ? container->child_path(vars_path) : fmt::format("/layers/{}", vars_path);
      first_failure = fmt::format("Example error message for layer '{}' ({}, group '{}'): {}",
                                  list[i]->name(), list[i]->class_name(), where, *problem);
    }
  }
  // Keras restores the state of a model's optimizer with its weights (saving_lib's _load_state).
  std::optional<OptimizerState> optimizer_state;
  if (model.compiled()) {
    std::optional<hdf5::Group> vars;
    if (root.has_group(optimizer_vars)) vars = root.group(optimizer_vars);
    optimizers::Optimizer& optimizer = model.optimizer();
    SavedOptimizerState saved = read_keras3_optimizer_state(vars, optimizer, shown);
    if (saved.problem && failures++ == 0) {
      first_failure =
          fmt::format("Example error message for optimizer '{}' ({}, group '/{}'): {}",
                      optimizer.name(), optimizer.class_name(), optimizer_vars, *saved.problem);
    }
    optimizer_state = std::move(saved.state);
  }
  if (failures > 0) {
    throw FileError(shown, fmt::format("Cannot load weights from '{}': A total of {} objects "
                                       "could not be loaded. {}",
                                       shown, failures, first_failure));
  }
  return {std::move(assignments), std::move(optimizer_state)};
}

}  // namespace

void load_keras3_weights(const std::string& h5_path, Sequential& model,
                         const std::string& shown_path) {
  const std::string shown = shown_path.empty() ? h5_path : shown_path;
  load_keras3_weights(hdf5::File::open_read(h5_path, shown), model, shown);
}

void load_keras3_weights(hdf5::File file, Sequential& model, const std::string& shown_path) {
  CheckedLoad load = checked_load(file, model, shown_path);
  assign_all(file, std::move(load.weights), std::move(load.optimizer_state));
}

void save_keras3_weights(const Sequential& model, const std::string& h5_path) {
  AtomicFile output(h5_path);  // written beside the target, renamed over it at the end
  hdf5::File file = hdf5::File::create(output.temporary(), h5_path);
  {
    const hdf5::Group& root = file.root();
    (void)root.create_group("vars");  // the model's own variables: none for a Sequential
    const hdf5::Group layers_group = root.create_group("layers");
    const std::vector<std::shared_ptr<layers::Layer>> list = model.layers();
    const std::vector<std::string> names = layer_group_names(list);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const hdf5::Group vars = layers_group.create_group(names[i]).create_group("vars");
      const std::vector<Variable> variables = list[i]->weights();
      for (std::size_t j = 0; j < variables.size(); ++j) {
        vars.write_float32(std::to_string(j), variables[j].value());
      }
    }
    if (model.compiled()) {
      write_keras3_optimizer_state(root.create_group("optimizer").create_group("vars"),
                                   model.optimizer());
    }
  }
  file.close();
  output.commit();
}

}  // namespace keras::io
