// SPDX-License-Identifier: Apache-2.0
// The kerascpp command line, run as a user runs it.
#include "keras/utils/npy.h"
#include "support/golden_case.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <png.h>

namespace keras::testing {
namespace {

namespace fs = std::filesystem;

struct CommandRun {
  int exit_code;
  std::string out;  // standard output and standard error together
};

CommandRun kerascpp(const std::string& arguments) {
  const std::string command = std::string(KERASCPP_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

fs::path models_dir() { return golden_dir().parent_path() / "data" / "keras-models"; }

// The model argument(s) of each real file: the file, or architecture and --weights.
struct RealModel {
  std::string folder;
  std::string arguments;
};

std::vector<RealModel> real_models() {
  std::vector<RealModel> models;
  for (const auto& entry : fs::directory_iterator(models_dir())) {
    if (!entry.is_directory()) continue;
    std::string model, architecture;
    for (const auto& file : fs::directory_iterator(entry.path())) {
      const std::string name = file.path().filename().string();
      const std::string extension = file.path().extension().string();
      if (extension == ".keras" || extension == ".h5" || name == "model.json") model = file.path();
      if (extension == ".json" && name != "model.json") architecture = file.path();
    }
    if (!architecture.empty()) model = architecture + " --weights " + model;
    models.push_back({entry.path().filename().string(), model});
  }
  std::sort(models.begin(), models.end(),
            [](const RealModel& a, const RealModel& b) { return a.folder < b.folder; });
  return models;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() / ("kerascpp_cli_test_" + std::to_string(::getpid()));
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  fs::path scratch_;
};

TEST_F(CliTest, PredictReproducesEveryRealModelsExpectedOutput) {
  const auto models = real_models();
  ASSERT_GE(models.size(), 9u);
  for (const RealModel& model : models) {
    const fs::path folder = models_dir() / model.folder;
    const fs::path output = scratch_ / (model.folder + ".npy");
    const CommandRun run = kerascpp("predict " + model.arguments + " " +
                                    (folder / "input.npy").string() + " -o " + output.string());
    ASSERT_EQ(run.exit_code, 0) << model.folder << ": " << run.out;
    EXPECT_TRUE(all_close(utils::load_npy(output.string()),
                          utils::load_npy((folder / "expected.npy").string()), 1e-4, 1e-4))
        << model.folder;
  }
}

TEST_F(CliTest, SummaryPrintsTheKerasTable) {
  const CommandRun run =
      kerascpp("summary " + (models_dir() / "mnist_mlp_keras310_zip/model.keras").string());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(
      run.out.find("│ dense_1 (Dense)                 │ (None, 10)             │         1,290 │"),
      std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find(" Total params: 101,770 (397.54 KB)"), std::string::npos) << run.out;
}

TEST_F(CliTest, PredictReadsPngImagesAndPrintsTheTopClass) {
  // The first official test digit, written as a PNG from the model's own [0, 1] input.
  const fs::path folder = models_dir() / "mnist_mlp_keras310_zip";
  const Tensor digits = utils::load_npy((folder / "mnist16_input.npy").string());
  const auto labels =
      utils::load_npy((folder / "mnist16_labels.npy").string()).astype(DType::int64);
  std::vector<std::uint8_t> pixels;
  for (const float value : digits.slice(0, 1).to_vector()) {
    pixels.push_back(static_cast<std::uint8_t>(std::lround(value * 255.0f)));
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = 28;
  image.height = 28;
  image.format = PNG_FORMAT_GRAY;
  const fs::path png = scratch_ / "digit.png";
  ASSERT_NE(png_image_write_to_file(&image, png.c_str(), 0, pixels.data(), 0, nullptr), 0);
  const CommandRun run =
      kerascpp("predict " + (folder / "model.keras").string() + " " + png.string());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out.rfind(
                png.string() + ": class " + std::to_string(labels.at<std::int64_t>({0})) + " (", 0),
            0u)
      << run.out;
}

TEST_F(CliTest, ConvertWritesAKerasFileThatPredictsTheSame) {
  const fs::path folder = models_dir() / "mnist_cnn_same_act_keras224";
  const fs::path converted = scratch_ / "converted.keras";
  const CommandRun convert =
      kerascpp("convert " + (folder / "model.h5").string() + " " + converted.string());
  ASSERT_EQ(convert.exit_code, 0) << convert.out;
  const fs::path output = scratch_ / "out.npy";
  const CommandRun predict = kerascpp("predict " + converted.string() + " " +
                                      (folder / "input.npy").string() + " -o " + output.string());
  ASSERT_EQ(predict.exit_code, 0) << predict.out;
  EXPECT_TRUE(all_close(utils::load_npy(output.string()),
                        utils::load_npy((folder / "expected.npy").string()), 1e-4, 1e-4));
}

TEST_F(CliTest, ErrorsGoToStandardErrorWithANonZeroExitCode) {
  const fs::path text = scratch_ / "notes.txt";
  std::ofstream(text) << "not a model";
  const CommandRun run = kerascpp("summary " + text.string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out.rfind("kerascpp: ", 0), 0u) << run.out;
  EXPECT_NE(run.out.find(text.string()), std::string::npos) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;

  const CommandRun missing = kerascpp("summary " + (scratch_ / "missing.keras").string());
  EXPECT_NE(missing.exit_code, 0);
  const CommandRun bad_output =
      kerascpp("convert " + (models_dir() / "mnist_mlp_keras310_zip/model.keras").string() + " " +
               (scratch_ / "out.txt").string());
  EXPECT_EQ(bad_output.exit_code, 1);
  EXPECT_EQ(bad_output.out, "kerascpp: Cannot write '" + (scratch_ / "out.txt").string() +
                                "': the output must end in .keras (a whole model) or .weights.h5 "
                                "(weights only)\n");
}

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* command : {"", "summary ", "predict ", "convert "}) {
    const CommandRun run = kerascpp(std::string(command) + "--help");
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find("Usage:"), std::string::npos) << command << run.out;
  }
}

}  // namespace
}  // namespace keras::testing
