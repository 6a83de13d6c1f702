// SPDX-License-Identifier: Apache-2.0
// Keras activation identifiers <-> ActivationSpec (keras/src/activations/__init__.py).
#include "kernels/activation.h"

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>

namespace keras::kernels {
namespace {

using K = ActivationKind;

// Keras 3's ALL_OBJECTS_DICT: function names, each alias (swish, hard_swish) after its function.
constexpr std::array<std::pair<std::string_view, ActivationKind>, 20> known_names{{
    {"linear", K::linear},
    {"relu", K::relu},
    {"leaky_relu", K::leaky_relu},
    {"relu6", K::relu6},
    {"softmax", K::softmax},
    {"log_softmax", K::log_softmax},
    {"elu", K::elu},
    {"selu", K::selu},
    {"softplus", K::softplus},
    {"softsign", K::softsign},
    {"silu", K::swish},
    {"swish", K::swish},
    {"gelu", K::gelu},
    {"tanh", K::tanh},
    {"sigmoid", K::sigmoid},
    {"exponential", K::exponential},
    {"hard_sigmoid", K::hard_sigmoid},
    {"hard_silu", K::hard_silu},
    {"hard_swish", K::hard_silu},
    {"mish", K::mish},
}};

// Activations that newer Keras releases than 3.6 accept and kerascpp does not compute yet.
constexpr std::array<std::string_view, 12> unsupported_names{
    "celu",      "glu",         "hard_shrink", "hard_tanh",   "log_sigmoid", "soft_shrink",
    "sparsemax", "sparse_plus", "squareplus",  "tanh_shrink", "threshold",   "crelu"};

}  // namespace

ActivationSpec activation_from_name(std::string_view name) {
  if (name.empty()) return {};  // Keras: None means linear
  for (const auto& [known, kind] : known_names) {
    if (known != name) continue;
    ActivationSpec spec{.kind = kind};
    // keras.activations.leaky_relu's default slope (the LeakyReLU layer's is 0.3).
    if (kind == K::leaky_relu) spec.negative_slope = 0.2f;
    return spec;
  }
  for (const std::string_view unsupported : unsupported_names) {
    if (unsupported == name) {
      throw NotImplementedError(
          fmt::format("The Keras activation '{}' is not implemented in kerascpp", name));
    }
  }
  throw ValueError(fmt::format("Could not interpret activation function identifier: {}", name));
}

std::string_view activation_name(const ActivationSpec& spec) {
  // The first name of a kind in the table is the function's __name__, which Keras's
  // serialize writes: "silu" for swish, "hard_silu" for hard_swish.
  for (const auto& [known, kind] : known_names) {
    if (kind == spec.kind) return known;
  }
  return "linear";
}

}  // namespace keras::kernels
