// SPDX-License-Identifier: Apache-2.0
#include "io/layer_registry.h"

#include "io/layer_config.h"

#include <fmt/format.h>

#include <array>

namespace keras::io {
namespace {

template <typename LayerType, Json (*write)(const LayerType&)>
Json write_as(const layers::Layer& layer) {
  return write(static_cast<const LayerType&>(layer));
}

struct LayerCodec {
  std::string_view class_name;
  std::unique_ptr<layers::Layer> (*from_config)(ConfigReader&);
  Json (*get_config)(const layers::Layer&);
};

// The one table from Keras class names to layers. An explicit list, not self-registration,
// which a static link would silently drop.
constexpr std::array layer_codecs{
    LayerCodec{"Dense", dense_from_config, write_as<layers::Dense, dense_get_config>},
    LayerCodec{"Dropout", dropout_from_config, write_as<layers::Dropout, dropout_get_config>},
    LayerCodec{"Conv2D", conv2d_from_config, write_as<layers::Conv2D, conv2d_get_config>},
    LayerCodec{"BatchNormalization", batch_normalization_from_config,
               write_as<layers::BatchNormalization, batch_normalization_get_config>},
    LayerCodec{"Flatten", flatten_from_config, write_as<layers::Flatten, flatten_get_config>},
    LayerCodec{"Activation", activation_from_config,
               write_as<layers::Activation, activation_get_config>},
    LayerCodec{"ReLU", relu_from_config, write_as<layers::ReLU, relu_get_config>},
    LayerCodec{"LeakyReLU", leaky_relu_from_config,
               write_as<layers::LeakyReLU, leaky_relu_get_config>},
    LayerCodec{"Softmax", softmax_from_config, write_as<layers::Softmax, softmax_get_config>},
    LayerCodec{"MaxPooling2D", max_pooling2d_from_config,
               write_as<layers::MaxPooling2D, max_pooling2d_get_config>},
    LayerCodec{"AveragePooling2D", average_pooling2d_from_config,
               write_as<layers::AveragePooling2D, average_pooling2d_get_config>},
    LayerCodec{"GlobalAveragePooling2D", global_average_pooling2d_from_config,
               write_as<layers::GlobalAveragePooling2D, global_average_pooling2d_get_config>},
    LayerCodec{"GlobalMaxPooling2D", global_max_pooling2d_from_config,
               write_as<layers::GlobalMaxPooling2D, global_max_pooling2d_get_config>},
    LayerCodec{"InputLayer", input_layer_from_config,
               write_as<layers::InputLayer, input_layer_get_config>},
    LayerCodec{"Reshape", reshape_from_config, write_as<layers::Reshape, reshape_get_config>},
    LayerCodec{"Permute", permute_from_config, write_as<layers::Permute, permute_get_config>},
    LayerCodec{"ZeroPadding2D", zero_padding2d_from_config,
               write_as<layers::ZeroPadding2D, zero_padding2d_get_config>},
    LayerCodec{"Cropping2D", cropping2d_from_config,
               write_as<layers::Cropping2D, cropping2d_get_config>},
};

const LayerCodec& find_codec(std::string_view class_name) {
  for (const LayerCodec& codec : layer_codecs) {
    if (codec.class_name == class_name) return codec;
  }
  throw NotImplementedError(
      fmt::format("Unknown layer: '{}'. kerascpp does not implement this Keras layer class "
                  "(docs/layers.md lists those it does).",
                  class_name));
}

}  // namespace

std::unique_ptr<layers::Layer> layer_from_config(std::string_view class_name, const Json& config) {
  const LayerCodec& codec = find_codec(class_name);
  if (!config.is_object()) {
    throw ValueError(fmt::format("The config of a {} layer must be a JSON object, got: {}",
                                 class_name, config.dump()));
  }
  ConfigReader reader(config, class_name);
  auto layer = codec.from_config(reader);
  reader.finish();
  return layer;
}

std::unique_ptr<layers::Layer> layer_from_json(const Json& serialized) {
  if (!serialized.is_object() || !serialized.contains("class_name") ||
      !serialized["class_name"].is_string()) {
    throw ValueError(fmt::format(
        "A serialized layer needs a \"class_name\" string and a \"config\" object, got: {}",
        serialized.dump()));
  }
  const auto class_name = serialized["class_name"].get<std::string>();
  return layer_from_config(class_name, serialized.value("config", Json::object()));
}

Json layer_config(const layers::Layer& layer) {
  return find_codec(layer.class_name()).get_config(layer);
}

}  // namespace keras::io
