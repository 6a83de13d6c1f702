// SPDX-License-Identifier: Apache-2.0
// The kerascpp command line, run as a user runs it.
#include "keras/layers/dense.h"
#include "keras/layers/input_layer.h"
#include "keras/models/load_model.h"
#include "keras/optimizers/adam.h"
#include "keras/sequential.h"
#include "keras/utils/npy.h"
#include "keras/utils/random.h"
#include "keras/utils/to_categorical.h"
#include "support/golden_case.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
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
  // Loaded compiled, as Keras loads it, with the optimizer's Adam state: Keras counts it too.
  EXPECT_NE(run.out.find(" Total params: 305,312 (1.16 MB)\n"
                         " Trainable params: 101,770 (397.54 KB)\n"
                         " Non-trainable params: 0 (0.00 B)\n"
                         " Optimizer params: 203,542 (795.09 KB)\n"),
            std::string::npos)
      << run.out;
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
  for (const char* command : {"", "summary ", "predict ", "convert ", "plot ", "fit ", "bench "}) {
    const CommandRun run = kerascpp(std::string(command) + "--help");
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_NE(run.out.find("Usage:"), std::string::npos) << command << run.out;
  }
}

TEST_F(CliTest, BenchTimesTrainingInferenceAndLatency) {
  const std::string model = (models_dir() / "mnist_mlp_keras310_zip/model.keras").string();
  const CommandRun train =
      kerascpp("bench " + model + " --mode train --batch-size 16 --threads 1 --seconds 0.05");
  ASSERT_EQ(train.exit_code, 0) << train.out;
  EXPECT_NE(train.out.find("mode train, batch 16, 1 thread(s)\nloading: "), std::string::npos)
      << train.out;
  EXPECT_NE(train.out.find(" ms, peak memory "), std::string::npos) << train.out;
  EXPECT_NE(train.out.find(" MiB resident up to then\ntraining with "), std::string::npos)
      << train.out;
  EXPECT_NE(train.out.find(")\nthroughput: "), std::string::npos) << train.out;
  EXPECT_NE(train.out.find(" samples/s (median step "), std::string::npos) << train.out;
  EXPECT_NE(train.out.find("\npeak memory: "), std::string::npos) << train.out;
  const CommandRun infer = kerascpp("bench " + model + " --mode infer --seconds 0.05");
  ASSERT_EQ(infer.exit_code, 0) << infer.out;
  EXPECT_NE(infer.out.find("mode infer, batch 128, "), std::string::npos) << infer.out;
  const CommandRun latency = kerascpp("bench " + model + " --mode latency --seconds 0.05");
  ASSERT_EQ(latency.exit_code, 0) << latency.out;
  EXPECT_NE(latency.out.find("mode latency, batch 1, "), std::string::npos) << latency.out;
  EXPECT_NE(latency.out.find("\nlatency: median "), std::string::npos) << latency.out;
  EXPECT_NE(latency.out.find(" us per call (p10 "), std::string::npos) << latency.out;
  Sequential regression;
  regression.add(Input({.shape = {4}}));
  regression.add(layers::Dense({.units = 1}));
  const std::string regression_path = (scratch_ / "regression.keras").string();
  regression.save(regression_path);
  const CommandRun one_unit = kerascpp("bench " + regression_path + " --seconds 0.05");
  EXPECT_EQ(one_unit.exit_code, 1);
  EXPECT_EQ(one_unit.out,
            "kerascpp: kerascpp bench --mode train needs a (batch, classes) output to train with "
            "categorical cross-entropy; the model's is (None, 1)\n");
  const CommandRun bad_mode = kerascpp("bench " + model + " --mode fast");
  EXPECT_EQ(bad_mode.exit_code, 105) << bad_mode.out;  // CLI11's validation error
  EXPECT_NE(bad_mode.out.find("--mode"), std::string::npos) << bad_mode.out;
}

// A model Keras saved compiled trains with what it was compiled with; one saved uncompiled
// with Adam and categorical cross-entropy.
TEST_F(CliTest, BenchTrainsWithTheCompileTheModelWasSavedWith) {
  const std::pair<const char*, const char*> cases[]{
      {"mnist_mlp_keras310_zip/model.keras",
       "training with Adam and SparseCategoricalCrossentropy (as the model was compiled when "
       "saved)"},
      {"tiny_cnn_batchnorm_keras213/cnn_batch_norm.h5",
       "training with Adam and MeanSquaredError (as the model was compiled when saved)"},
      {"tiny_conv2d_same_8x8_keras231/keras_conv2d_model.h5",
       "training with Adam and CategoricalCrossentropy (kerascpp's default: the model was not "
       "compiled as loaded)"}};
  for (const auto& [file, setup] : cases) {
    const CommandRun run = kerascpp("bench " + (models_dir() / file).string() +
                                    " --mode train --batch-size 16 --seconds 0.05");
    ASSERT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("\n" + std::string(setup) + "\n"), std::string::npos) << run.out;
  }
}

TEST_F(CliTest, PlotDrawsTheModelWithGraphviz) {
  const std::string model = (models_dir() / "mnist_mlp_keras310_zip/model.keras").string();
  const fs::path svg = scratch_ / "model.svg";
  const CommandRun run = kerascpp("plot " + model + " -o " + svg.string() + " --rankdir LR");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::ifstream file(svg);
  const std::string picture((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
  EXPECT_NE(picture.find("<svg"), std::string::npos);
  EXPECT_NE(picture.find("dense_1"), std::string::npos);
  EXPECT_NE(picture.find("(None, 10)"), std::string::npos);

  const fs::path bare = scratch_ / "bare.dot";
  ASSERT_EQ(kerascpp("plot " + model + " -o " + bare.string() + " --no-shapes").exit_code, 0);
  std::ifstream dot(bare);
  const std::string text((std::istreambuf_iterator<char>(dot)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("dense_1"), std::string::npos);
  EXPECT_EQ(text.find("Output shape"), std::string::npos);

  const fs::path nowhere = scratch_ / "missing" / "model.svg";
  const CommandRun error = kerascpp("plot " + model + " -o " + nowhere.string());
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_EQ(error.out, "kerascpp: Cannot write '" + nowhere.string() + "': the folder '" +
                           nowhere.parent_path().string() + "' does not exist\n");
  const CommandRun help = kerascpp("plot --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--rankdir"), std::string::npos) << help.out;
  EXPECT_NE(kerascpp("plot " + model + " -o " + svg.string() + " --rankdir UP").exit_code, 0);
}

// Standard error alone, for the messages fit promises there.
std::string kerascpp_stderr(const std::string& arguments) {
  const std::string command = std::string(KERASCPP_BINARY) + " " + arguments + " 2>&1 >/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string err;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) err += buffer.data();
  ::pclose(pipe);
  return err;
}

// A small problem for `kerascpp fit`: 4 features -> `classes` classes, saved as files.
class FitCommandTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    utils::set_random_seed(11);
    x_ = Tensor::uniform({24, 4}, -1.0f, 1.0f, 5);
    std::vector<std::int32_t> labels;
    for (std::int64_t i = 0; i < x_.dim(0); ++i) {
      const float score = x_.at<float>({i, 0}) - x_.at<float>({i, 2});
      labels.push_back(score < -0.3f ? 0 : (score < 0.3f ? 1 : 2));
    }
    labels_ = Tensor::from_data(std::span<const std::int32_t>(labels), {x_.dim(0)});
    utils::save_npy(path("x.npy"), x_);
    utils::save_npy(path("labels.npy"), labels_);
    save_model(3, "model.keras");
  }

  std::string path(const std::string& name) const { return (scratch_ / name).string(); }

  void save_model(std::int64_t classes, const std::string& name) const {
    Sequential model;
    model.add(Input({.shape = {4}}));
    model.add(layers::Dense({.units = 8, .activation = "relu"}));
    model.add(layers::Dense({.units = classes, .activation = "softmax"}));
    model.save(path(name));
  }

  // `kerascpp fit MODEL X Y` with more arguments.
  CommandRun fit(const std::string& y_name, const std::string& arguments,
                 const std::string& model = "model.keras") const {
    return kerascpp("fit " + path(model) + " " + path("x.npy") + " " + path(y_name) + " " +
                    arguments);
  }

  Tensor x_, labels_;
};

TEST_F(FitCommandTest, TrainsSavesAndPlotsTheHistory) {
  const CommandRun run =
      fit("labels.npy", "--epochs 2 --batch-size 8 --learning-rate 0.05 --seed 3 --save " +
                            path("trained.keras") + " --plot " + path("history.svg"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("Loss: sparse_categorical_crossentropy (Y holds int32 class indices)\n"
                         "Optimizer: adam (learning rate 0.05)\n"
                         "Metrics: accuracy\n"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Epoch 1/2\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Epoch 2/2\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Final after 2 epochs: accuracy: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(" - loss: "), std::string::npos) << run.out;

  const auto before = models::load_model(path("model.keras")).get_weights();
  const auto after = models::load_model(path("trained.keras")).get_weights();
  ASSERT_EQ(before.size(), after.size());
  bool changed = false;
  for (std::size_t i = 0; i < before.size(); ++i) {
    ASSERT_EQ(before[i].shape(), after[i].shape());
    changed = changed || !all_close(before[i], after[i], 0.0, 1e-6);
  }
  EXPECT_TRUE(changed) << "fit left every weight as it was";

  std::ifstream file(path("history.svg"));
  const std::string picture((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
  EXPECT_NE(picture.find("<svg"), std::string::npos);
  EXPECT_NE(picture.find("accuracy"), std::string::npos);

  const CommandRun help = kerascpp("fit --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--learning-rate"), std::string::npos) << help.out;
}

// `load_model(path).fit(x, y)` in Keras: the saved optimizer, its state, loss and metrics.
TEST_F(FitCommandTest, AModelSavedCompiledTrainsOnAsSavedUnlessFlagsCompileIt) {
  {
    Sequential model = models::load_model(path("model.keras"));
    model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.02}),
                   .loss = "sparse_categorical_crossentropy",
                   .metrics = {"accuracy"}});
    for (int step = 0; step < 2; ++step) (void)model.train_on_batch(x_, labels_);
    model.save(path("compiled.keras"));
  }
  const CommandRun resumed = fit(
      "labels.npy", "--batch-size 8 --verbose 0 --save " + path("resumed.keras"), "compiled.keras");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out;
  EXPECT_EQ(resumed.out.rfind("Loss: sparse_categorical_crossentropy (as the model was compiled "
                              "when saved)\n"
                              "Optimizer: adam (learning rate 0.02, 2 steps taken, as saved)\n"
                              "Metrics: as the model was compiled when saved\n"
                              "Final after 1 epoch: accuracy: ",
                              0),
            0u)
      << resumed.out;
  EXPECT_EQ(models::load_model(path("resumed.keras")).optimizer().iterations(), 2 + 3);

  const CommandRun afresh =
      fit("labels.npy",
          "--batch-size 8 --verbose 0 --learning-rate 0.05 --save " + path("afresh.keras"),
          "compiled.keras");
  ASSERT_EQ(afresh.exit_code, 0) << afresh.out;
  EXPECT_NE(afresh.out.find("Optimizer: adam (learning rate 0.05)\n"), std::string::npos)
      << afresh.out;
  EXPECT_EQ(models::load_model(path("afresh.keras")).optimizer().iterations(), 3);
}

TEST_F(FitCommandTest, ChoosesTheLossFromTheTargetsAndSaysWhich) {
  utils::save_npy(path("one_hot.npy"), utils::to_categorical(labels_, 3));
  const CommandRun one_hot = fit("one_hot.npy", "--verbose 0");
  ASSERT_EQ(one_hot.exit_code, 0) << one_hot.out;
  EXPECT_EQ(one_hot.out.rfind("Loss: categorical_crossentropy (Y (24, 3) matches the model's "
                              "output (None, 3): one-hot rows)\n",
                              0),
            0u)
      << one_hot.out;

  utils::save_npy(path("float_labels.npy"), labels_.astype(DType::float32));
  const CommandRun float_labels = fit("float_labels.npy", "--verbose 0");
  ASSERT_EQ(float_labels.exit_code, 0) << float_labels.out;
  EXPECT_EQ(float_labels.out.rfind("Loss: sparse_categorical_crossentropy (Y (24,) has one axis "
                                   "fewer than the model's output (None, 3): class indices)\n",
                                   0),
            0u)
      << float_labels.out;

  const CommandRun mse = fit("one_hot.npy", "--verbose 0 --loss mse --optimizer sgd");
  ASSERT_EQ(mse.exit_code, 0) << mse.out;
  EXPECT_EQ(mse.out.rfind("Loss: mean_squared_error (--loss)\n"
                          "Optimizer: SGD (learning rate 0.01)\n"
                          "Metrics: none\n"
                          "Final after 1 epoch: loss: ",
                          0),
            0u)
      << mse.out;

  const CommandRun metrics = fit("one_hot.npy", "--verbose 0 --loss mse --metrics mae,accuracy");
  ASSERT_EQ(metrics.exit_code, 0) << metrics.out;
  EXPECT_NE(metrics.out.find("Metrics: mae, accuracy\n"), std::string::npos) << metrics.out;
  EXPECT_NE(metrics.out.find(" - mae: "), std::string::npos) << metrics.out;

  save_model(1, "single.keras");
  EXPECT_EQ(kerascpp_stderr("fit " + path("single.keras") + " " + path("x.npy") + " " +
                            path("float_labels.npy")),
            "kerascpp: The model's output (None, 1) has one unit, so fit cannot choose its "
            "loss: pass --loss binary_crossentropy (a sigmoid output) or --loss "
            "mean_squared_error (a regression)\n");
}

TEST_F(FitCommandTest, ErrorsGoToStandardErrorBeforeAnythingIsWritten) {
  utils::save_npy(path("short.npy"), labels_.slice(0, 23));
  const std::string save = " --save " + path("trained.keras");
  EXPECT_EQ(fit("short.npy", save).exit_code, 1);
  EXPECT_EQ(kerascpp_stderr("fit " + path("model.keras") + " " + path("x.npy") + " " +
                            path("short.npy") + save),
            "kerascpp: Data cardinality is ambiguous: x has 24 samples, y has 23 samples. "
            "Make sure all arrays contain the same number of samples. (x.shape=(24, 4), "
            "y.shape=(23,))\n");

  const std::string unknown_optimizer = " --optimizer sgdx";
  EXPECT_EQ(fit("labels.npy", unknown_optimizer + save).exit_code, 1);
  const std::string err = kerascpp_stderr("fit " + path("model.keras") + " " + path("x.npy") + " " +
                                          path("labels.npy") + unknown_optimizer + save);
  EXPECT_EQ(err.rfind("kerascpp: ", 0), 0u) << err;
  EXPECT_NE(err.find("sgdx"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;

  const std::string missing_folder = path("missing/trained.keras");
  EXPECT_EQ(kerascpp_stderr("fit " + path("model.keras") + " " + path("x.npy") + " " +
                            path("labels.npy") + " --save " + missing_folder),
            "kerascpp: Cannot write '" + missing_folder + "': the folder '" + path("missing") +
                "' does not exist\n");
  EXPECT_EQ(fit("labels.npy", "--learning-rate -1").exit_code, 1);
  EXPECT_FALSE(fs::exists(path("trained.keras")));
}

}  // namespace
}  // namespace keras::testing
