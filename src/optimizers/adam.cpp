// SPDX-License-Identifier: Apache-2.0
#include "keras/optimizers/adam.h"

#include "optimizers/optimizer_config.h"

#include <fmt/format.h>

#include <cmath>

namespace keras::optimizers {

Adam::Adam(AdamOptions options) : Adam(std::move(options), "Adam") {}

Adam::Adam(AdamOptions options, std::string_view class_name)
    : Optimizer(
          options.name, options.learning_rate,
          {options.weight_decay, options.clipnorm, options.clipvalue, options.global_clipnorm}),
      options_(std::move(options)) {
  if (options_.amsgrad) {
    throw NotImplementedError(fmt::format(
        "Optimizer '{}' ({}) uses Keras features kerascpp does not implement: amsgrad=True", name(),
        class_name));
  }
}

std::vector<std::string> Adam::slot_names() const { return {"momentum", "velocity"}; }

void Adam::update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
                  std::int64_t step) {
  // float32 as Keras computes it (adam.py `update_step`): the powers and alpha in float32;
  // `1 - beta` in double (Python) before the cast.
  const auto learning_rate = static_cast<float>(this->learning_rate());
  const auto local_step = static_cast<float>(step);
  const float beta_1_power = std::pow(static_cast<float>(options_.beta_1), local_step);
  const float beta_2_power = std::pow(static_cast<float>(options_.beta_2), local_step);
  const float alpha = learning_rate * std::sqrt(1.0f - beta_2_power) / (1.0f - beta_1_power);
  const auto one_minus_beta_1 = static_cast<float>(1.0 - options_.beta_1);
  const auto one_minus_beta_2 = static_cast<float>(1.0 - options_.beta_2);
  const auto epsilon = static_cast<float>(options_.epsilon);

  float* weights = value.data<float>();
  const float* gradients = gradient.data<float>();
  float* momentums = slots[0].data<float>();
  float* velocities = slots[1].data<float>();
  for (std::int64_t i = 0; i < value.size(); ++i) {
    const float g = gradients[i];
    momentums[i] += (g - momentums[i]) * one_minus_beta_1;
    velocities[i] += (g * g - velocities[i]) * one_minus_beta_2;
    weights[i] -= momentums[i] * alpha / (std::sqrt(velocities[i]) + epsilon);
  }
}

std::string Adam::get_config() const {
  io::Json config = base_config(name(), learning_rate(), common_options());
  config["beta_1"] = options_.beta_1;
  config["beta_2"] = options_.beta_2;
  config["epsilon"] = options_.epsilon;
  config["amsgrad"] = options_.amsgrad;
  return config.dump();
}

std::shared_ptr<Optimizer> adam_from_config(OptimizerConfigReader& config) {
  return std::make_shared<Adam>(read_adam_options<AdamOptions>(config));
}

}  // namespace keras::optimizers
