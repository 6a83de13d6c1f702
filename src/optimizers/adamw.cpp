// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/adamw.h"

#include "optimizers/optimizer_config.h"

namespace keras::optimizers {
namespace {

AdamOptions adam_options(const AdamWOptions& options) {
  // Keras 3's check and words (keras/src/optimizers/adamw.py).
  if (!options.weight_decay) {
    throw ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None");
  }
  return {.learning_rate = options.learning_rate,
          .beta_1 = options.beta_1,
          .beta_2 = options.beta_2,
          .epsilon = options.epsilon,
          .amsgrad = options.amsgrad,
          .weight_decay = options.weight_decay,
          .clipnorm = options.clipnorm,
          .clipvalue = options.clipvalue,
          .global_clipnorm = options.global_clipnorm,
          .name = options.name};
}

}  // namespace

AdamW::AdamW(AdamWOptions options)
    : Adam(adam_options(options), "AdamW"), options_(std::move(options)) {}

std::shared_ptr<Optimizer> adamw_from_config(OptimizerConfigReader& config) {
  return std::make_shared<AdamW>(read_adam_options<AdamWOptions>(config));
}

}  // namespace keras::optimizers
