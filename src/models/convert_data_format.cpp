// SPDX-License-Identifier: Apache-2.0
#include "keras/models/convert_data_format.h"

#include "io/layer_config.h"
#include "io/model_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

namespace keras::models {
namespace {

using io::Json;

// The logical axes of an image's non-batch dimensions in storage order.
using AxisOrder = std::string;  // letters 'h', 'w', 'c'

AxisOrder axes_of(DataFormat layout) {
  return layout == DataFormat::channels_first ? "chw" : "hwc";
}

// What a Flatten with `flatten_format` produces from data stored in `layout`: Keras moves
// axis 1 last for channels_first, whatever the data really is.
AxisOrder flattened_order(DataFormat layout, DataFormat flatten_format) {
  AxisOrder order = axes_of(layout);
  if (flatten_format == DataFormat::channels_first)
    std::rotate(order.begin(), order.begin() + 1, order.end());
  return order;
}

DataFormat format_of(const Json& config) {
  return config::standardize_data_format(config.value("data_format", ""));
}

// Dense kernel rows in `from` order (sizes per letter) -> rows in (h, w, c) order.
Tensor permute_rows(const Tensor& kernel, const AxisOrder& from, const Shape& image) {
  const std::int64_t height = *image[0], width = *image[1], channels = *image[2];
  const auto size_of_axis = [&](char axis) {
    return axis == 'h' ? height : axis == 'w' ? width : channels;
  };
  std::vector<std::int64_t> split;
  for (const char axis : from) split.push_back(size_of_axis(axis));
  split.push_back(kernel.dim(1));
  std::vector<int> to_hwc;
  for (const char axis : AxisOrder("hwc")) {
    to_hwc.push_back(static_cast<int>(from.find(axis)));
  }
  to_hwc.push_back(3);
  return kernel.reshape(split).permute(to_hwc).contiguous().reshape(kernel.shape());
}

struct PendingPermutation {
  AxisOrder order;
  Shape image;  // (h, w, c) sizes
};

// Rewrites the config of a layer that receives a rank-4 image stored in `layout`.
void convert_image_layer(const layers::Layer& layer, Json& config, DataFormat layout,
                         DataFormat target, const Shape& shape, const Shape& hwc,
                         std::optional<PendingPermutation>& pending) {
  const std::string_view class_name = layer.class_name();
  if (class_name == "InputLayer") {
    config["batch_shape"] = io::shape_json(target == DataFormat::channels_first
                                               ? Shape{shape[0], hwc[2], hwc[0], hwc[1]}
                                               : Shape{shape[0], hwc[0], hwc[1], hwc[2]});
  } else if (class_name == "Flatten") {
    const AxisOrder order = flattened_order(layout, format_of(config));
    if (order != "hwc") pending = PendingPermutation{order, hwc};
    config["data_format"] = name_of(target);
  } else if (config.contains("data_format")) {
    config["data_format"] = name_of(target);
  } else if (class_name == "BatchNormalization") {
    const int axis = config.value("axis", -1);
    const bool on_channels =
        layout == DataFormat::channels_first ? axis == 1 : (axis == -1 || axis == 3);
    if (!on_channels) {
      throw NotImplementedError(fmt::format(
          "Cannot convert layer '{}' (BatchNormalization) to {}: it normalizes axis {}, not the "
          "channels of {} images",
          layer.name(), name_of(target), axis, name_of(layout)));
    }
    config["axis"] = target == DataFormat::channels_first ? 1 : -1;
  } else if (!layer.weights().empty() || class_name == "Reshape" || class_name == "Permute") {
    throw NotImplementedError(
        fmt::format("Cannot convert layer '{}' ({}) to {}: it works on the raw axes of {} images",
                    layer.name(), class_name, name_of(target), name_of(layout)));
  }
}

}  // namespace

Sequential convert_data_format(const Sequential& model, DataFormat target) {
  if (!model.built()) {
    throw ValueError(
        fmt::format("Sequential model '{}' must be built before its data format can be converted",
                    model.name()));
  }
  Json serialized = io::sequential_config(model);
  Json& entries = serialized["config"]["layers"];
  const auto& layers = model.layers_with_input();
  std::vector<Tensor> weights = model.get_weights();

  // The layout of the first image layer is the layout of the model's input.
  std::optional<DataFormat> layout;
  for (const Json& entry : entries) {
    if (entry["config"].contains("data_format")) {
      layout = format_of(entry["config"]);
      break;
    }
  }
  if (!layout) return io::sequential_from_config(serialized);  // nothing is an image

  std::optional<PendingPermutation> pending;
  std::size_t weight_index = 0;
  Shape shape = model.input_shape();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const layers::Layer& layer = *layers[i];
    Json& config = entries[i]["config"];
    const std::optional<DataFormat> own_format =
        config.contains("data_format") ? std::optional(format_of(config)) : std::nullopt;
    if (shape.rank() == 4) {
      const Shape hwc = *layout == DataFormat::channels_first ? Shape{shape[2], shape[3], shape[1]}
                                                              : Shape{shape[1], shape[2], shape[3]};
      convert_image_layer(layer, config, *layout, target, shape, hwc, pending);
    } else if (own_format) {
      config["data_format"] = name_of(target);
    }
    const std::size_t count = layer.weights().size();
    if (pending && count > 0) {
      if (layer.class_name() != "Dense") {
        throw NotImplementedError(fmt::format(
            "Cannot convert layer '{}' ({}) after a Flatten: only a Dense kernel's rows can be "
            "permuted",
            layer.name(), layer.class_name()));
      }
      weights[weight_index] = permute_rows(weights[weight_index], pending->order, pending->image);
      pending.reset();
    }
    weight_index += count;
    if (own_format) layout = own_format;  // what the old model's data looks like from here
    if (layer.class_name() != "InputLayer") shape = layer.compute_output_shape(shape);
  }
  Sequential converted = io::sequential_from_config(serialized);
  converted.set_weights(weights);
  return converted;
}

}  // namespace keras::models
