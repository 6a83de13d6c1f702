// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/average_pooling2d.h"

#include "io/layer_registry.h"
#include "io/pooling2d_config.h"

namespace keras::layers {

AveragePooling2D::AveragePooling2D(AveragePooling2DOptions options)
    : BasePooling2D("AveragePooling2D", std::move(options), PoolMode::average) {}

AveragePooling2D AveragePooling2D::from_config(std::string_view config_json) {
  auto layer = io::layer_from_config("AveragePooling2D",
                                     io::parse_json(config_json, "AveragePooling2D config"));
  return std::move(static_cast<AveragePooling2D&>(*layer));
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> average_pooling2d_from_config(ConfigReader& config) {
  return std::make_unique<layers::AveragePooling2D>(pooling2d_options(config, "AveragePooling2D"));
}

Json average_pooling2d_get_config(const layers::AveragePooling2D& layer) {
  return pooling2d_get_config(layer);
}

}  // namespace keras::io
