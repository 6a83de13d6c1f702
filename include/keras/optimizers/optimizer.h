// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"
#include "keras/variable.h"

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace keras::optimizers {

/// The arguments every Keras 3 optimizer takes besides its own; each optimizer's options
/// aggregate repeats them (designated initialisers cannot name a base's fields).
struct CommonOptions {
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
};

/// A Keras 3 optimizer: Keras's update rule, defaults and state variables (`iteration`,
/// `learning_rate`, then the slots in Keras's order). Each optimizer is one class in its own
/// header (keras/optimizers/<name>.h) with an options aggregate of Keras's arguments.
///
/// Keras: https://keras.io/api/optimizers/
class Optimizer {
 public:
  virtual ~Optimizer() = default;

  /// Keras's name, e.g. "adam" or "SGD".
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] double learning_rate() const noexcept { return learning_rate_; }
  /// Sets the learning rate, as ReduceLROnPlateau does; throws ValueError unless finite and >= 0.
  void set_learning_rate(double learning_rate);
  /// How many updates were applied (Keras's `optimizer.iterations`).
  [[nodiscard]] std::int64_t iterations() const noexcept {
    return *static_cast<const std::int64_t*>(iteration_.raw_data());
  }

  /// Creates the slots (zeros) for `variables`, in this order; apply() does it on first use.
  void build(const std::vector<Variable>& variables);
  [[nodiscard]] bool built() const noexcept { return built_; }
  /// One update of each variable from its gradient() (Keras's `apply_gradients`), with weight
  /// decay and clipping first as Keras applies them; marks each variable modified. The
  /// variables must be among those it was built for, in any order (ValueError otherwise).
  void apply(const std::vector<Variable>& variables);

  /// Keras's optimizer variables in Keras's order: `iteration`, `learning_rate`, then the
  /// slots, named like `conv2d_kernel_momentum` (what `.keras` files and summary count), with
  /// paths `<optimizer name>/<name>`. They are handles to the optimizer's own state, so that
  /// assigning them (as loading a saved optimizer does) sets the state; `learning_rate` is the
  /// one exception: it shows the rate, and set_learning_rate() changes it.
  [[nodiscard]] std::vector<Variable> variables() const;

  /// Keras's serialised form `{"module": "keras.optimizers", "class_name": ..., "config":
  /// {...}, "registered_name": null}` as JSON text.
  [[nodiscard]] std::string to_json() const;
  [[nodiscard]] virtual std::string class_name() const = 0;
  /// The config as JSON text, every Keras 3 key with its value.
  [[nodiscard]] virtual std::string get_config() const = 0;

 protected:
  Optimizer(std::string name, double learning_rate, CommonOptions common);
  // Moved, never copied: a copy would share the slots' storage with the original.
  Optimizer(Optimizer&&) noexcept = default;
  Optimizer& operator=(Optimizer&&) noexcept = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  [[nodiscard]] const CommonOptions& common_options() const noexcept { return common_; }
  /// The slot names this optimizer keeps per variable, in Keras's creation order, e.g.
  /// {"momentum", "velocity"}.
  [[nodiscard]] virtual std::vector<std::string> slot_names() const = 0;
  /// Updates `value` in place from `gradient` (already decayed and clipped) and the
  /// variable's slots, in the order of slot_names(); `step` is Keras's `iteration + 1`.
  virtual void update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
                      std::int64_t step) = 0;
  /// Whether Keras creates the slots variable by variable (m_0, v_0, m_1, v_1: Adam) rather
  /// than slot by slot (all velocities, then all momentums: RMSprop); only variables()'s
  /// order depends on it.
  [[nodiscard]] virtual bool interleaves_slots() const noexcept { return false; }

 private:
  // Where each variable's slots are; throws ValueError for one it was not built for.
  [[nodiscard]] std::vector<std::size_t> slot_indices(const std::vector<Variable>& variables) const;
  void check_variables(const std::vector<Variable>& variables) const;
  [[nodiscard]] std::vector<Tensor> clipped_gradients(const std::vector<Variable>& variables) const;
  void decay_weights(Tensor& value) const;

  std::string name_;
  double learning_rate_;
  CommonOptions common_;
  Tensor iteration_;               // int64 scalar, Keras's `iteration` variable
  Tensor learning_rate_variable_;  // float32 scalar, what variables() shows of the rate
  bool built_ = false;
  std::vector<Variable> variables_;                          // what build() saw, in its order
  std::vector<std::vector<Tensor>> slots_;                   // per variable, in slot_names() order
  std::unordered_map<std::string, std::size_t> slot_index_;  // variable path -> its slots
};

/// The optimizer for a Keras identifier ("adam", "adamw", "sgd", "rmsprop", or a class name)
/// with default arguments; throws ValueError listing the known names otherwise.
[[nodiscard]] std::shared_ptr<Optimizer> get(std::string_view identifier);
/// An optimizer from Keras's serialised form (JSON text), as `.keras` files store it.
[[nodiscard]] std::shared_ptr<Optimizer> deserialize(std::string_view json);

/// What compile() takes for an optimizer: a Keras identifier or an optimizer object.
class OptimizerArg {
 public:
  OptimizerArg(const char* identifier) : identifier_(identifier) {}             // NOLINT
  OptimizerArg(std::string identifier) : identifier_(std::move(identifier)) {}  // NOLINT
  OptimizerArg(std::shared_ptr<Optimizer> optimizer)
      : optimizer_(std::move(optimizer)) {}  // NOLINT
  template <std::derived_from<Optimizer> OptimizerType>
  OptimizerArg(OptimizerType optimizer)  // NOLINT
      : optimizer_(std::make_shared<OptimizerType>(std::move(optimizer))) {}

  /// The optimizer object; throws ValueError for an unknown identifier.
  [[nodiscard]] std::shared_ptr<Optimizer> resolve() const {
    return optimizer_ ? optimizer_ : get(identifier_);
  }

 private:
  std::string identifier_;
  std::shared_ptr<Optimizer> optimizer_;
};

}  // namespace keras::optimizers
