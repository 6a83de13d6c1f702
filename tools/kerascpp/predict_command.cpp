// SPDX-License-Identifier: Apache-2.0
#include "commands.h"
#include "model_arguments.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <keras/error.h>
#include <keras/utils/image.h>
#include <keras/utils/npy.h>
#include <memory>
#include <vector>

namespace kerascpp {
namespace {

struct PredictArguments {
  ModelArguments model;
  std::vector<std::string> inputs;
  std::string output;
  std::int64_t batch_size = 32;
  bool no_scale = false;
};

bool starts_with_bytes(const std::string& path, std::string_view magic) {
  std::ifstream file(path, std::ios::binary);
  std::string head(magic.size(), '\0');
  return file.read(head.data(), static_cast<std::streamsize>(head.size())) && head == magic;
}

// Where an image's pixels go in the model's input: (height, width, channels) and whether
// channels come first.
struct ImageLayout {
  std::int64_t height, width, channels;
  bool channels_first;
};

ImageLayout image_layout(const keras::Shape& input) {
  const auto known = [&](int axis) { return input[axis].value_or(-1); };
  if (input.rank() == 3) return {known(1), known(2), 1, false};
  if (input.rank() == 4 && (known(3) == 1 || known(3) == 3)) {
    return {known(1), known(2), known(3), false};
  }
  if (input.rank() == 4 && (known(1) == 1 || known(1) == 3)) {
    return {known(2), known(3), known(1), true};
  }
  throw keras::ValueError(
      fmt::format("The model's input {} is not a grey or RGB image; give INPUT as a .npy array",
                  input.to_string()));
}

keras::Tensor read_images(const std::vector<std::string>& paths, const keras::Shape& input,
                          bool scale) {
  const ImageLayout layout = image_layout(input);
  keras::Tensor batch = keras::Tensor::empty(
      {static_cast<std::int64_t>(paths.size()), layout.height, layout.width, layout.channels});
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const keras::Tensor pixels = keras::utils::load_png(paths[i], layout.channels);
    if (pixels.dim(0) != layout.height || pixels.dim(1) != layout.width) {
      throw keras::ValueError(fmt::format(
          "Image '{}' is {}x{} pixels, but the model takes {}x{} images (input shape {})", paths[i],
          pixels.dim(1), pixels.dim(0), layout.width, layout.height, input.to_string()));
    }
    keras::Tensor values = pixels.astype(keras::DType::float32);
    if (scale) {
      float* data = values.data<float>();
      std::transform(data, data + values.size(), data, [](float v) { return v / 255.0f; });
    }
    const auto row = static_cast<std::int64_t>(i);
    batch.slice(row, row + 1)
        .copy_from(values.reshape({1, layout.height, layout.width, layout.channels}));
  }
  if (layout.channels_first) return batch.permute({0, 3, 1, 2}).contiguous();
  if (input.rank() == 3) return batch.reshape({batch.dim(0), layout.height, layout.width});
  return batch;
}

keras::Tensor read_inputs(const PredictArguments& arguments, const keras::Shape& input) {
  if (arguments.inputs.size() == 1 && starts_with_bytes(arguments.inputs[0], "\x93NUMPY")) {
    return keras::utils::load_npy(arguments.inputs[0]);
  }
  for (const std::string& path : arguments.inputs) {
    if (!starts_with_bytes(path, "\x89PNG")) {
      throw keras::FileError(
          path,
          fmt::format(
              "Cannot read input '{}': give one .npy array (batch first) or one or more PNG images",
              path));
    }
  }
  return read_images(arguments.inputs, input, !arguments.no_scale);
}

void print_top_classes(const keras::Tensor& outputs, const std::vector<std::string>& names) {
  const keras::Tensor scores = outputs.reshape({outputs.dim(0), -1});
  const auto values = scores.to_vector();
  const std::int64_t classes = scores.dim(1);
  for (std::int64_t row = 0; row < scores.dim(0); ++row) {
    const auto first = values.begin() + row * classes;
    const auto best = std::max_element(first, first + classes);
    const std::string name = names.size() == static_cast<std::size_t>(scores.dim(0))
                                 ? names[static_cast<std::size_t>(row)]
                                 : fmt::format("sample {}", row);
    std::cout << fmt::format("{}: class {} ({:.4f})\n", name, best - first, *best);
  }
}

void predict(const PredictArguments& arguments) {
  keras::Sequential model = arguments.model.load({.compile = false});
  const keras::Tensor inputs = read_inputs(arguments, model.input_shape());
  const keras::Tensor outputs = model.predict(inputs, arguments.batch_size);
  if (!arguments.output.empty()) {
    keras::utils::save_npy(arguments.output, outputs);
  } else {
    print_top_classes(outputs, arguments.inputs);
  }
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "predict",
      "Run a model on a .npy array or PNG images; print the top class or write -o OUT.npy");
  auto arguments = std::make_shared<PredictArguments>();
  arguments->model.add_to(*command);
  command
      ->add_option("INPUT", arguments->inputs,
                   "One .npy array (batch first) or one or more PNG images")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("-o,--output", arguments->output, "Write the outputs to this .npy file");
  command->add_option("--batch-size", arguments->batch_size, "Samples per batch")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_flag("--no-scale", arguments->no_scale,
                    "Keep PNG pixels in [0, 255] instead of [0, 1]");
  command->callback([arguments] { predict(*arguments); });
}

}  // namespace kerascpp
