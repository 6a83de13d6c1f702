// SPDX-License-Identifier: Apache-2.0
#include "commands.h"
#include "model_arguments.h"

#include <fmt/format.h>

#include <keras/error.h>
#include <keras/models/convert_data_format.h>
#include <keras/models/save_model.h>
#include <memory>

namespace kerascpp {
namespace {

struct ConvertArguments {
  ModelArguments input;
  std::string output;
  std::string data_format;
};

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void convert(const ConvertArguments& arguments) {
  keras::Sequential model = arguments.input.load();
  if (!arguments.data_format.empty()) {
    model = keras::models::convert_data_format(
        model, keras::config::standardize_data_format(arguments.data_format));
  }
  if (ends_with(arguments.output, ".weights.h5")) {
    keras::models::save_weights(model, arguments.output);
  } else if (ends_with(arguments.output, ".keras")) {
    keras::models::save_model(model, arguments.output);
  } else {
    throw keras::ValueError(fmt::format(
        "Cannot write '{}': the output must end in .keras (a whole model) or .weights.h5 "
        "(weights only)",
        arguments.output));
  }
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "convert",
      "Convert a model to Keras 3's .keras or .weights.h5, optionally to the other data format");
  auto arguments = std::make_shared<ConvertArguments>();
  arguments->input.add_to(*command);
  command->add_option("OUT", arguments->output, "The file to write: .keras or .weights.h5")
      ->required();
  command
      ->add_option("--data-format", arguments->data_format,
                   "Rewrite the model for channels_last or channels_first images")
      ->check(CLI::IsMember({"channels_last", "channels_first"}));
  command->callback([arguments] { convert(*arguments); });
}

}  // namespace kerascpp
