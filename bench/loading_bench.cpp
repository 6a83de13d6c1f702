// SPDX-License-Identifier: Apache-2.0
// load_model against reading the file's bytes once (issue 6, item 4), on the largest model
// file in ../shared/data (a 1.5 MB legacy .h5) and on a generated .keras of about 100 MB of
// weights (Dense 5000x5000): BM_load/<file> times keras::models::load_model, BM_read/<file>
// reads the same file into memory with one ifstream read (warm page cache for both). Each
// reports the process's peak resident memory; run them one per process to compare it.
#include "peak_memory.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <keras/keras.h>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string shared_file() {
  const char* golden = std::getenv("KERAS_GOLDEN_DIR");
  const fs::path root = golden != nullptr ? fs::path(golden).parent_path() : fs::path("../shared");
  return (root / "data/keras-models/mnist_cnn_keras35_legacy_h5/cnn_model_mnist.h5").string();
}

// A Sequential with 25 million float32 weights, saved once per process.
std::string generated_file() {
  static const std::string path = [] {
    const std::string file = (fs::temp_directory_path() / "kerascpp_bench_100mb.keras").string();
    keras::Sequential model;
    model.add(keras::Input({.shape = {5000}}));
    model.add(keras::layers::Dense({.units = 5000}));
    model.save(file);
    return file;
  }();
  return path;
}

std::string file_named(const std::string& name) {
  return name == "generated_100mb" ? generated_file() : shared_file();
}

void report(benchmark::State& state, const std::string& file) {
  keras::bench::report_peak_memory(state);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(fs::file_size(file)));
}

void BM_load(benchmark::State& state, const std::string& name) {
  const std::string file = file_named(name);
  for (auto _ : state) benchmark::DoNotOptimize(keras::models::load_model(file));
  report(state, file);
}

void BM_read(benchmark::State& state, const std::string& name) {
  const std::string file = file_named(name);
  for (auto _ : state) {
    std::vector<char> bytes(fs::file_size(file));
    std::ifstream(file, std::ios::binary)
        .read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    benchmark::DoNotOptimize(bytes);
  }
  report(state, file);
}

BENCHMARK_CAPTURE(BM_load, largest_shared_file, "largest_shared_file")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_read, largest_shared_file, "largest_shared_file")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_load, generated_100mb, "generated_100mb")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_read, generated_100mb, "generated_100mb")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
