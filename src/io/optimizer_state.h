// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/hdf5_file.h"
#include "io/weight_assignments.h"
#include "keras/optimizers/optimizer.h"

#include <optional>
#include <string>
#include <vector>

namespace keras::io {

/// A compiled model's optimizer state as a file saved it, checked against the optimizer:
/// its step count and slots, to be assigned with the model's weights, and its learning rate.
struct OptimizerState {
  optimizers::Optimizer* optimizer = nullptr;
  std::vector<Assignment> assignments;  // `iteration` and the slots
  float learning_rate = 0.0f;
};

/// What a file's optimizer variables give the optimizer: its state, or the problem that stops
/// it from taking them.
struct SavedOptimizerState {
  std::optional<OptimizerState> state;
  std::optional<std::string> problem;
};

/// Keras 3's optimizer state (`optimizer/vars` of a weights file: datasets "0", "1", ... in
/// optimizer.variables()'s order), read as Keras's `load_own_variables` reads it. When the
/// counts differ (an optimizer not yet built, or a group that is missing), neither: Keras skips
/// the variables and warns, and so does this, on standard error, naming `shown` (the file).
/// A value that does not fit (another shape, a type it cannot be read as, a step count or
/// learning rate the optimizer cannot take; any failure to read it, too) is a problem, which
/// fails the load, as a failed object does in Keras.
[[nodiscard]] SavedOptimizerState read_keras3_optimizer_state(
    const std::optional<hdf5::Group>& vars, optimizers::Optimizer& optimizer,
    const std::string& shown);

/// A legacy `.h5` file's optimizer state (`/optimizer_weights`, listed by its `weight_names`),
/// as Keras 3's legacy loader reads it into the optimizer compile_as_saved built: matched by
/// position. Where the values do not fit (Keras 2 and tf.keras 2 optimizers keep other
/// variables), nothing, with Keras's warning that the optimizer starts afresh; unlike Keras,
/// which assigns the values up to the first that does not fit (and silently takes a list
/// shorter than its own, as a Keras 2 SGD without momentum saves: only its step count),
/// nothing is assigned then. A value that cannot be read at all (a damaged file, one changed
/// while it is read) is such a misfit too: the model loads with its weights and a fresh
/// optimizer, where Keras's legacy loader would fail.
[[nodiscard]] std::optional<OptimizerState> read_legacy_optimizer_state(
    const hdf5::Group& root, optimizers::Optimizer& optimizer, const std::string& path);

/// Assigns `weights` and the optimizer's state together (io/weight_assignments.h).
void assign_all(hdf5::File& file, std::vector<Assignment> weights,
                std::optional<OptimizerState> state);

/// Writes optimizer.variables() as Keras 3's `save_own_variables` does: datasets "0", "1",
/// ... of `vars`, the step count as int64, the rest as float32.
void write_keras3_optimizer_state(const hdf5::Group& vars, const optimizers::Optimizer& optimizer);

}  // namespace keras::io
