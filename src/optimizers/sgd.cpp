// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/sgd.h"

#include "detail/python_repr.h"
#include "optimizers/optimizer_config.h"

#include <fmt/format.h>

namespace keras::optimizers {

SGD::SGD(SGDOptions options)
    : Optimizer(
          options.name, options.learning_rate,
          {options.weight_decay, options.clipnorm, options.clipvalue, options.global_clipnorm}),
      options_(std::move(options)) {
  // Keras 3's check and words (keras/src/optimizers/sgd.py).
  if (!(options_.momentum >= 0.0 && options_.momentum <= 1.0)) {
    throw ValueError(fmt::format("`momentum` must be a float between [0, 1]. Received: momentum={}",
                                 detail::python_float(options_.momentum)));
  }
}

std::vector<std::string> SGD::slot_names() const {
  if (options_.momentum == 0.0) return {};
  return {"momentum"};
}

void SGD::update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
                 std::int64_t /*step*/) {
  // float32 throughout, as Keras casts the hyperparameters to the variable's dtype.
  const auto learning_rate = static_cast<float>(this->learning_rate());
  float* weights = value.data<float>();
  const float* gradients = gradient.data<float>();
  const std::int64_t size = value.size();
  if (slots.empty()) {
    for (std::int64_t i = 0; i < size; ++i) weights[i] -= gradients[i] * learning_rate;
    return;
  }
  const auto momentum = static_cast<float>(options_.momentum);
  float* velocities = slots[0].data<float>();
  if (options_.nesterov) {
    for (std::int64_t i = 0; i < size; ++i) {
      velocities[i] = velocities[i] * momentum - gradients[i] * learning_rate;
      weights[i] += velocities[i] * momentum - gradients[i] * learning_rate;
    }
  } else {
    for (std::int64_t i = 0; i < size; ++i) {
      velocities[i] = velocities[i] * momentum - gradients[i] * learning_rate;
      weights[i] += velocities[i];
    }
  }
}

std::string SGD::get_config() const {
  io::Json config = base_config(name(), learning_rate(), common_options());
  config["momentum"] = options_.momentum;
  config["nesterov"] = options_.nesterov;
  return config.dump();
}

std::shared_ptr<Optimizer> sgd_from_config(OptimizerConfigReader& config) {
  SGDOptions options;
  read_base_options(config, options);
  options.momentum = config.number("momentum", options.momentum);
  options.nesterov = config.boolean("nesterov", options.nesterov);
  config.finish(options.name);
  return std::make_shared<SGD>(std::move(options));
}

}  // namespace keras::optimizers
