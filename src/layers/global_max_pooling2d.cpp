// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/global_max_pooling2d.h"

#include "io/layer_registry.h"
#include "io/pooling2d_config.h"

namespace keras::layers {

GlobalMaxPooling2D::GlobalMaxPooling2D(GlobalMaxPooling2DOptions options)
    : BaseGlobalPooling2D("GlobalMaxPooling2D", std::move(options), PoolMode::max) {}

GlobalMaxPooling2D GlobalMaxPooling2D::from_config(std::string_view config_json) {
  auto layer = io::layer_from_config("GlobalMaxPooling2D",
                                     io::parse_json(config_json, "GlobalMaxPooling2D config"));
  return std::move(static_cast<GlobalMaxPooling2D&>(*layer));
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> global_max_pooling2d_from_config(ConfigReader& config) {
  return std::make_unique<layers::GlobalMaxPooling2D>(global_pooling2d_options(config));
}

Json global_max_pooling2d_get_config(const layers::GlobalMaxPooling2D& layer) {
  return global_pooling2d_get_config(layer);
}

}  // namespace keras::io
