// SPDX-License-Identifier: Apache-2.0
#include "commands.h"
#include "model_arguments.h"

#include <memory>

namespace kerascpp {

void add_summary_command(CLI::App& app) {
  auto* command = app.add_subcommand("summary", "Print the Keras summary table of a model");
  auto arguments = std::make_shared<ModelArguments>();
  arguments->add_to(*command);
  command->callback([arguments] { arguments->load().summary(); });
}

}  // namespace kerascpp
