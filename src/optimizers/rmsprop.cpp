// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/rmsprop.h"

#include "optimizers/optimizer_config.h"

#include <cmath>

namespace keras::optimizers {

RMSprop::RMSprop(RMSpropOptions options)
    : Optimizer(
          options.name, options.learning_rate,
          {options.weight_decay, options.clipnorm, options.clipvalue, options.global_clipnorm}),
      options_(std::move(options)) {}

std::vector<std::string> RMSprop::slot_names() const {
  // Keras creates all velocities, then all momentums, then all average gradients
  // (rmsprop.py `build`); the base class keeps that order.
  std::vector<std::string> names{"velocity"};
  if (options_.momentum > 0.0) names.emplace_back("momentum");
  if (options_.centered) names.emplace_back("average_gradient");
  return names;
}

void RMSprop::update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
                     std::int64_t /*step*/) {
  // float32 as Keras computes it (rmsprop.py `update_step`); `1 - rho` in double (Python).
  const auto learning_rate = static_cast<float>(this->learning_rate());
  const auto rho = static_cast<float>(options_.rho);
  const auto one_minus_rho = static_cast<float>(1.0 - options_.rho);
  const auto momentum = static_cast<float>(options_.momentum);
  const auto epsilon = static_cast<float>(options_.epsilon);

  float* weights = value.data<float>();
  const float* gradients = gradient.data<float>();
  float* velocities = slots[0].data<float>();
  float* momentums = options_.momentum > 0.0 ? slots[1].data<float>() : nullptr;
  float* averages = options_.centered ? slots.back().data<float>() : nullptr;
  for (std::int64_t i = 0; i < value.size(); ++i) {
    const float g = gradients[i];
    velocities[i] = rho * velocities[i] + one_minus_rho * (g * g);
    float denominator = velocities[i] + epsilon;
    if (averages != nullptr) {
      averages[i] = rho * averages[i] + one_minus_rho * g;
      denominator = velocities[i] - averages[i] * averages[i] + epsilon;
    }
    const float increment = learning_rate * g / std::sqrt(denominator);
    if (momentums != nullptr) {
      momentums[i] = momentum * momentums[i] + increment;
      weights[i] -= momentums[i];
    } else {
      weights[i] -= increment;
    }
  }
}

std::string RMSprop::get_config() const {
  io::Json config = base_config(name(), learning_rate(), common_options());
  config["rho"] = options_.rho;
  config["momentum"] = options_.momentum;
  config["epsilon"] = options_.epsilon;
  config["centered"] = options_.centered;
  return config.dump();
}

std::shared_ptr<Optimizer> rmsprop_from_config(OptimizerConfigReader& config) {
  RMSpropOptions options;
  read_base_options(config, options);
  options.rho = config.number("rho", options.rho);
  options.momentum = config.number("momentum", options.momentum);
  options.epsilon = config.number("epsilon", options.epsilon);
  options.centered = config.boolean("centered", options.centered);
  config.finish(options.name);
  return std::make_shared<RMSprop>(std::move(options));
}

}  // namespace keras::optimizers
