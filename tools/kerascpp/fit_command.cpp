// SPDX-License-Identifier: Apache-2.0
#include "commands.h"
#include "model_arguments.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <keras/error.h>
#include <keras/losses/loss.h>
#include <keras/optimizers/optimizer.h>
#include <keras/utils/npy.h>
#include <keras/utils/plot_history.h>
#include <keras/utils/random.h>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace kerascpp {
namespace {

struct FitArguments {
  ModelArguments model;
  std::string x_path;
  std::string y_path;
  std::string loss;  // empty: chosen from Y and the model's output
  std::string optimizer = "adam";
  double learning_rate = 0.0;
  int epochs = 1;
  std::int64_t batch_size = 32;
  double validation_split = 0.0;
  std::vector<std::string> metrics;
  std::uint64_t seed = 0;
  int verbose = keras::verbose_auto;
  std::string save_path;
  std::string plot_path;
  // The options whose absence means "the library's default", asked after parsing.
  CLI::Option* loss_option = nullptr;
  CLI::Option* optimizer_option = nullptr;
  CLI::Option* learning_rate_option = nullptr;
  CLI::Option* metrics_option = nullptr;
  CLI::Option* seed_option = nullptr;
};

struct LossChoice {
  std::shared_ptr<keras::losses::Loss> loss;
  std::string why;
};

bool is_integer(keras::DType dtype) {
  return dtype == keras::DType::int32 || dtype == keras::DType::int64 ||
         dtype == keras::DType::uint8;
}

// Keras users pick the loss in compile(); the command line guesses the usual one from the
// labels, and says so, because a wrong guess trains without complaint.
LossChoice choose_loss(const std::string& name, const keras::Shape& output,
                       const keras::Tensor& y) {
  if (!name.empty()) return {keras::losses::get(name), "--loss"};
  // With one unit both cross-entropies are constantly zero: training would change nothing.
  if (output.rank() >= 2 && output[output.rank() - 1] == 1) {
    throw keras::ValueError(fmt::format(
        "The model's output {} has one unit, so fit cannot choose its loss: pass --loss "
        "binary_crossentropy (a sigmoid output) or --loss mean_squared_error (a regression)",
        output.to_string()));
  }
  if (is_integer(y.dtype())) {
    return {keras::losses::get("sparse_categorical_crossentropy"),
            fmt::format("Y holds {} class indices", keras::name_of(y.dtype()))};
  }
  if (y.rank() + 1 == output.rank()) {
    return {keras::losses::get("sparse_categorical_crossentropy"),
            fmt::format("Y {} has one axis fewer than the model's output {}: class indices",
                        keras::Shape::of(y.shape()).to_string(), output.to_string())};
  }
  return {keras::losses::get("categorical_crossentropy"),
          fmt::format("Y {} matches the model's output {}: one-hot rows",
                      keras::Shape::of(y.shape()).to_string(), output.to_string())};
}

std::vector<keras::metrics::MetricArg> choose_metrics(const FitArguments& arguments,
                                                      const keras::losses::Loss& loss) {
  std::vector<keras::metrics::MetricArg> metrics;
  if (arguments.metrics_option->count() > 0) {
    for (const std::string& name : arguments.metrics) {
      if (!name.empty()) metrics.emplace_back(name);
    }
  } else if (loss.name().ends_with("crossentropy")) {
    metrics.emplace_back("accuracy");
  }
  return metrics;
}

// Training can take long: a path that cannot be written is reported before it starts, in the
// words the writers themselves use.
void check_output_paths(const FitArguments& arguments) {
  if (!arguments.save_path.empty() && !arguments.save_path.ends_with(".keras")) {
    throw keras::ValueError(fmt::format(
        "Invalid `filepath` argument: expected a `.keras` extension. Received: filepath={}",
        arguments.save_path));
  }
  for (const std::string& path : {arguments.save_path, arguments.plot_path}) {
    if (path.empty()) continue;
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::error_code error;
    if (!folder.empty() && !std::filesystem::is_directory(folder, error)) {
      throw keras::FileError(path, fmt::format("Cannot write '{}': the folder '{}' does not exist",
                                               path, folder.string()));
    }
  }
}

// As Keras's progress bar prints a figure.
std::string figure(double value) {
  return std::abs(value) > 1e-3 ? fmt::format("{:.4f}", value) : fmt::format("{:.4e}", value);
}

// The last epoch's figures, in the order the progress bar prints them.
void print_final_figures(const keras::callbacks::History& history) {
  const std::size_t epochs = history.epoch().size();
  if (epochs == 0) {
    std::cout << "No epochs were run; the model is unchanged\n";
    return;
  }
  std::string line = fmt::format("Final after {} epoch{}:", epochs, epochs == 1 ? "" : "s");
  const char* separator = " ";
  for (const auto& [name, values] : history.history()) {
    line += fmt::format("{}{}: {}", separator, name, figure(values.back()));
    separator = " - ";
  }
  std::cout << line << '\n';
}

bool compiles_from_flags(const FitArguments& arguments) {
  for (const CLI::Option* option : {arguments.loss_option, arguments.optimizer_option,
                                    arguments.learning_rate_option, arguments.metrics_option}) {
    if (option->count() > 0) return true;
  }
  return false;
}

// A model loaded compiled trains on as it was saved: its optimizer, state included, its loss
// and its metrics, as `keras.models.load_model(path).fit(x, y)` does.
void say_saved_compile(const keras::Sequential& model) {
  const keras::optimizers::Optimizer& optimizer = model.optimizer();
  std::cout << fmt::format("Loss: {} (as the model was compiled when saved)\n", model.loss().name())
            << fmt::format("Optimizer: {} (learning rate {:g}, {} steps taken, as saved)\n",
                           optimizer.name(), optimizer.learning_rate(), optimizer.iterations())
            << "Metrics: as the model was compiled when saved\n"
            << std::flush;
}

// Compiles `model` from the command line's flags and the library's defaults, and says how.
void compile_from_flags(const FitArguments& arguments, keras::Sequential& model,
                        const keras::Tensor& y) {
  const LossChoice loss = choose_loss(arguments.loss, model.output_shape(), y);
  std::shared_ptr<keras::optimizers::Optimizer> optimizer =
      keras::optimizers::get(arguments.optimizer);
  if (arguments.learning_rate_option->count() > 0) {
    optimizer->set_learning_rate(arguments.learning_rate);
  }
  std::vector<keras::metrics::MetricArg> metrics = choose_metrics(arguments, *loss.loss);
  std::string metric_names;
  for (const auto& metric : metrics) {
    metric_names += (metric_names.empty() ? "" : ", ") + metric.identifier();
  }
  std::cout << fmt::format("Loss: {} ({})\n", loss.loss->name(), loss.why)
            << fmt::format("Optimizer: {} (learning rate {:g})\n", optimizer->name(),
                           optimizer->learning_rate())
            << fmt::format("Metrics: {}\n", metric_names.empty() ? "none" : metric_names)
            << std::flush;

  model.compile({.optimizer = optimizer, .loss = loss.loss, .metrics = std::move(metrics)});
}

void fit(const FitArguments& arguments) {
  check_output_paths(arguments);
  if (arguments.seed_option->count() > 0) keras::utils::set_random_seed(arguments.seed);
  keras::Sequential model = arguments.model.load();
  const keras::Tensor x = keras::utils::load_npy(arguments.x_path);
  const keras::Tensor y = keras::utils::load_npy(arguments.y_path);
  if (!model.built() && x.rank() > 0) {
    model.build(keras::Shape::of(x.shape()).without_batch().with_batch(keras::None));
  }
  if (model.compiled() && !compiles_from_flags(arguments)) {
    say_saved_compile(model);
  } else {
    compile_from_flags(arguments, model, y);
  }
  const keras::callbacks::History history =
      model.fit(x, y,
                {.batch_size = arguments.batch_size,
                 .epochs = arguments.epochs,
                 .verbose = arguments.verbose,
                 .validation_split = arguments.validation_split});
  print_final_figures(history);
  if (!arguments.save_path.empty()) {
    model.save(arguments.save_path);
    std::cout << fmt::format("Saved the trained model to {}\n", arguments.save_path);
  }
  if (!arguments.plot_path.empty()) {
    keras::utils::plot_history(history, arguments.plot_path);
    std::cout << fmt::format("Plotted the history to {}\n", arguments.plot_path);
  }
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "fit",
      "Train a model on .npy arrays X and Y (model.compile + model.fit), optionally save it; a "
      "model saved compiled trains on as saved (its optimizer's state included) unless "
      "--loss, --optimizer, --learning-rate or --metrics compile it afresh");
  auto arguments = std::make_shared<FitArguments>();
  arguments->model.add_to(*command);
  command->add_option("X", arguments->x_path, "The inputs: a .npy array, batch first")
      ->required()
      ->check(CLI::ExistingFile);
  command
      ->add_option("Y", arguments->y_path,
                   "The targets: a .npy array, batch first (integer class indices or one-hot "
                   "rows for the cross-entropies)")
      ->required()
      ->check(CLI::ExistingFile);
  arguments->loss_option =
      command->add_option("--loss", arguments->loss,
                          "A Keras loss, e.g. categorical_crossentropy, mse (default: "
                          "sparse_categorical_crossentropy for class indices in Y, "
                          "categorical_crossentropy otherwise)");
  arguments->optimizer_option =
      command->add_option("--optimizer", arguments->optimizer, "adam, adamw, sgd or rmsprop")
          ->capture_default_str();
  arguments->learning_rate_option =
      command->add_option("--learning-rate", arguments->learning_rate,
                          "The optimizer's learning rate (default: the optimizer's own)");
  command->add_option("--epochs", arguments->epochs, "Passes over the data")->capture_default_str();
  command->add_option("--batch-size", arguments->batch_size, "Samples per gradient update")
      ->capture_default_str();
  command
      ->add_option("--validation-split", arguments->validation_split,
                   "The last fraction of X and Y to hold out for validation, in [0, 1)")
      ->capture_default_str();
  arguments->metrics_option =
      command
          ->add_option("--metrics", arguments->metrics,
                       "Comma-separated Keras metrics (default: accuracy for the "
                       "cross-entropies, none otherwise)")
          ->delimiter(',');
  arguments->seed_option = command->add_option(
      "--seed", arguments->seed,
      "Seed for the shuffles and dropout masks (keras::utils::set_random_seed)");
  command
      ->add_option("--verbose", arguments->verbose,
                   "0: silent, 1: progress bar, 2: one line per epoch (default: 1 on a "
                   "terminal, 2 otherwise)")
      ->check(CLI::IsMember({0, 1, 2}));
  command->add_option("--save", arguments->save_path, "Write the trained model to OUT.keras");
  command->add_option("--plot", arguments->plot_path,
                      "Draw the loss and metrics per epoch as an SVG chart");
  command->callback([arguments] { fit(*arguments); });
}

}  // namespace kerascpp
