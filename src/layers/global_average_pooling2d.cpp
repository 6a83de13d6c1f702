// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/global_average_pooling2d.h"

#include "io/layer_registry.h"
#include "io/pooling2d_config.h"

namespace keras::layers {

GlobalAveragePooling2D::GlobalAveragePooling2D(GlobalAveragePooling2DOptions options)
    : BaseGlobalPooling2D("GlobalAveragePooling2D", std::move(options), PoolMode::average) {}

GlobalAveragePooling2D GlobalAveragePooling2D::from_config(std::string_view config_json) {
  auto layer = io::layer_from_config("GlobalAveragePooling2D",
                                     io::parse_json(config_json, "GlobalAveragePooling2D config"));
  return std::move(static_cast<GlobalAveragePooling2D&>(*layer));
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> global_average_pooling2d_from_config(ConfigReader& config) {
  return std::make_unique<layers::GlobalAveragePooling2D>(global_pooling2d_options(config));
}

Json global_average_pooling2d_get_config(const layers::GlobalAveragePooling2D& layer) {
  return global_pooling2d_get_config(layer);
}

}  // namespace keras::io
