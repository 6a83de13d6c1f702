// SPDX-License-Identifier: Apache-2.0
#include "model_arguments.h"

#include <keras/models/load_model.h>

namespace kerascpp {

void ModelArguments::add_to(CLI::App& command) {
  command
      .add_option("MODEL", model,
                  "A Keras model: .keras, legacy .h5, TF.js model.json, or an architecture JSON "
                  "with --weights")
      ->required()
      ->check(CLI::ExistingFile);
  command
      .add_option("--weights", weights,
                  "Weights for an architecture-only MODEL (.h5 or .weights.h5)")
      ->check(CLI::ExistingFile);
}

keras::Sequential ModelArguments::load(const keras::models::LoadOptions& options) const {
  return weights.empty() ? keras::models::load_model(model, options)
                         : keras::models::load_model(model, weights);
}

}  // namespace kerascpp
