// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/max_pooling2d.h"

#include "io/layer_registry.h"
#include "io/pooling2d_config.h"

namespace keras::layers {

MaxPooling2D::MaxPooling2D(MaxPooling2DOptions options)
    : BasePooling2D("MaxPooling2D", std::move(options), PoolMode::max) {}

MaxPooling2D MaxPooling2D::from_config(std::string_view config_json) {
  auto layer =
      io::layer_from_config("MaxPooling2D", io::parse_json(config_json, "MaxPooling2D config"));
  return std::move(static_cast<MaxPooling2D&>(*layer));
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> max_pooling2d_from_config(ConfigReader& config) {
  return std::make_unique<layers::MaxPooling2D>(pooling2d_options(config, "MaxPooling2D"));
}

Json max_pooling2d_get_config(const layers::MaxPooling2D& layer) {
  return pooling2d_get_config(layer);
}

}  // namespace keras::io
