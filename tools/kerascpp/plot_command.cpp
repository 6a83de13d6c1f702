// SPDX-License-Identifier: Apache-2.0
#include "commands.h"
#include "model_arguments.h"

#include <keras/utils/plot_model.h>
#include <memory>

namespace kerascpp {
namespace {

struct PlotArguments {
  ModelArguments model;
  std::string output;
  bool no_shapes = false;
  std::string rankdir = "TB";
};

}  // namespace

void add_plot_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "plot", "Draw a model's layers and shapes with Graphviz (keras.utils.plot_model)");
  auto arguments = std::make_shared<PlotArguments>();
  arguments->model.add_to(*command);
  command
      ->add_option("-o,--output", arguments->output,
                   "The picture to write: .svg, .png, .pdf or .dot (needs Graphviz's dot)")
      ->required();
  command->add_flag("--no-shapes", arguments->no_shapes, "Leave out input and output shapes");
  command->add_option("--rankdir", arguments->rankdir, "TB: top to bottom, LR: left to right")
      ->capture_default_str()
      ->check(CLI::IsMember({"TB", "LR", "BT", "RL"}));
  command->callback([arguments] {
    keras::utils::plot_model(arguments->model.load(), arguments->output,
                             {.show_shapes = !arguments->no_shapes, .rankdir = arguments->rankdir});
  });
}

}  // namespace kerascpp
