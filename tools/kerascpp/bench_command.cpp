// SPDX-License-Identifier: Apache-2.0
// `kerascpp bench`: times a model on synthetic data of its input shape, as TF Lite's
// benchmark_model does, for users sizing a deployment.
#include "commands.h"
#include "model_arguments.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <keras/config.h>
#include <keras/error.h>
#include <keras/utils/to_categorical.h>
#include <memory>
#include <string>
#include <vector>

namespace kerascpp {
namespace {

struct BenchArguments {
  ModelArguments model;
  std::string mode = "train";
  std::int64_t batch_size = 0;  // 0: 128, or 1 for latency
  int threads = 0;              // 0: the default (OMP_NUM_THREADS, else one per core)
  double seconds = 2.0;
};

using Clock = std::chrono::steady_clock;

// The input for `batch` samples of the model's input shape, uniform in [0, 1).
keras::Tensor synthetic_inputs(const keras::Sequential& model, std::int64_t batch) {
  std::vector<std::int64_t> shape{batch};
  const keras::Shape input = model.input_shape();
  for (int axis = 1; axis < input.rank(); ++axis) {
    if (!input[axis]) {
      throw keras::ValueError(fmt::format(
          "kerascpp bench needs a fixed input shape; the model's is {}", input.to_string()));
    }
    shape.push_back(*input[axis]);
  }
  return keras::Tensor::uniform(shape, 0.0f, 1.0f, 1);
}

// Targets for the compiled loss: class indices for sparse categorical cross-entropy, one-hot
// rows for categorical cross-entropy and for any other loss on a (batch, classes) output,
// else 0.5 everywhere (a regression's).
keras::Tensor synthetic_targets(const keras::Sequential& model, std::int64_t batch) {
  const keras::Shape output = model.output_shape();
  const bool classes = output.rank() == 2 && output[1] && *output[1] >= 2;
  const std::string loss = model.loss().class_name();
  const bool sparse = loss == "SparseCategoricalCrossentropy";
  if (!classes && (sparse || loss == "CategoricalCrossentropy")) {
    throw keras::ValueError(
        fmt::format("kerascpp bench --mode train needs a (batch, classes) output to train with "
                    "{}categorical cross-entropy; the model's is {}",
                    sparse ? "sparse " : "", output.to_string()));
  }
  if (!classes) {
    std::vector<std::int64_t> shape{batch};
    for (int axis = 1; axis < output.rank(); ++axis) shape.push_back(output[axis].value_or(1));
    return keras::Tensor::full(shape, 0.5);
  }
  std::vector<std::int32_t> labels(static_cast<std::size_t>(batch));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    labels[i] = static_cast<std::int32_t>(i % static_cast<std::size_t>(*output[1]));
  }
  const keras::Tensor indices =
      keras::Tensor::from_data(std::span<const std::int32_t>(labels), {batch});
  return sparse ? indices : keras::utils::to_categorical(indices, *output[1]);
}

double peak_resident_mib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

// Runs `step` once to warm up, then until `seconds` have passed (at least 5 times); returns
// the seconds each timed call took.
template <typename Step>
std::vector<double> time_steps(double seconds, Step step) {
  step();
  std::vector<double> times;
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (times.size() < 5 || Clock::now() < end) {
    const auto start = Clock::now();
    step();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return times;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  return values[index];
}

void run(const BenchArguments& arguments) {
  if (arguments.threads > 0) keras::config::set_num_threads(arguments.threads);
  const bool training = arguments.mode == "train";
  const auto load_start = Clock::now();
  // Loaded for inference as a deployment would load it: without the optimizer's state.
  keras::Sequential model = arguments.model.load({.compile = training});
  const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
  const double loaded_mib = peak_resident_mib();
  const bool latency = arguments.mode == "latency";
  const std::int64_t batch = arguments.batch_size > 0 ? arguments.batch_size : latency ? 1 : 128;
  const keras::Tensor x = synthetic_inputs(model, batch);
  std::vector<double> times;
  std::string training_setup;
  if (training) {
    const bool saved_compiled = model.compiled();
    if (!saved_compiled) {
      model.compile({.optimizer = "adam", .loss = "categorical_crossentropy"});
    }
    training_setup = fmt::format(
        "training with {} and {} ({})\n", model.optimizer().class_name(), model.loss().class_name(),
        saved_compiled ? "as the model was compiled when saved"
                       : "kerascpp's default: the model was not compiled as loaded");
    const keras::Tensor y = synthetic_targets(model, batch);
    times = time_steps(arguments.seconds, [&] { (void)model.train_on_batch(x, y); });
  } else {
    times = time_steps(arguments.seconds, [&] { (void)model.predict(x, batch); });
  }
  const double median = percentile(times, 0.5);
  fmt::print("model: {} ({} parameters), mode {}, batch {}, {} thread(s)\n", model.name(),
             model.count_params(), arguments.mode, batch, keras::config::num_threads());
  fmt::print("loading{}: {:.1f} ms, peak memory {:.1f} MiB resident up to then\n",
             training ? "" : " (uncompiled, for inference)", load_seconds * 1e3, loaded_mib);
  fmt::print("{}", training_setup);
  if (latency) {
    fmt::print("latency: median {:.1f} us per call (p10 {:.1f}, p90 {:.1f}), {} calls\n",
               median * 1e6, percentile(times, 0.1) * 1e6, percentile(times, 0.9) * 1e6,
               times.size());
  } else {
    fmt::print(
        "throughput: {:.0f} samples/s (median step {:.2f} ms, p10 {:.2f}, p90 {:.2f}), "
        "{} steps\n",
        static_cast<double>(batch) / median, median * 1e3, percentile(times, 0.1) * 1e3,
        percentile(times, 0.9) * 1e3, times.size());
  }
  fmt::print("peak memory: {:.1f} MiB resident\n", peak_resident_mib());
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "bench", "Time a model on synthetic data: training steps, inference or batch-1 latency");
  auto arguments = std::make_shared<BenchArguments>();
  arguments->model.add_to(*command);
  command
      ->add_option("--mode", arguments->mode,
                   "train: full training steps (the model's optimizer and loss, else Adam and "
                   "categorical cross-entropy); infer: predict; latency: predict on one sample")
      ->check(CLI::IsMember({"train", "infer", "latency"}))
      ->capture_default_str();
  command
      ->add_option("--batch-size", arguments->batch_size,
                   "Samples per step (default 128; 1 for latency)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--threads", arguments->threads,
                   "Kernel threads (default: OMP_NUM_THREADS, else one per core)")
      ->check(CLI::PositiveNumber);
  command->add_option("--seconds", arguments->seconds, "How long to time, after one warm-up step")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->callback([arguments] { run(*arguments); });
}

}  // namespace kerascpp
