// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

#include <keras/models/load_model.h>
#include <keras/sequential.h>
#include <memory>
#include <string>

namespace kerascpp {

/// The MODEL argument and its `--weights` option, shared by every subcommand.
struct ModelArguments {
  std::string model;
  std::string weights;

  void add_to(CLI::App& command);
  /// The model, loaded by content (`.keras`, `.h5`, `model.json`, or architecture + weights).
  [[nodiscard]] keras::Sequential load(const keras::models::LoadOptions& options = {}) const;
};

}  // namespace kerascpp
