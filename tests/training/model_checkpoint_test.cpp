// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/model_checkpoint.h"

#include "keras/error.h"
#include "keras/layers/dense.h"
#include "keras/layers/input_layer.h"
#include "keras/models/load_model.h"
#include "keras/sequential.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace keras::callbacks {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

class ModelCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("kerascpp_model_checkpoint_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    model.add(Input({.shape = {3}}));
    model.add(layers::Dense({.units = 2}));
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Ends epoch `epoch` with `logs`, returning what the callback printed.
  std::string end_epoch(ModelCheckpoint& callback, int epoch, Logs logs) {
    callback.set_model(&model);
    ::testing::internal::CaptureStdout();
    callback.on_epoch_begin(epoch, {});
    callback.on_epoch_end(epoch, logs);
    return ::testing::internal::GetCapturedStdout();
  }

  Sequential model;

 private:
  fs::path dir_;
};

TEST_F(ModelCheckpointTest, SavesEachEpochToTheFormattedPath) {
  ModelCheckpoint callback(
      {.filepath = path("ckpt/{epoch:02d}-{val_loss:.2f}.keras"), .verbose = 1});
  EXPECT_EQ(end_epoch(callback, 0, {{"loss", 0.5}, {"val_loss", 0.4567}}),
            "\nEpoch 1: saving model to " + path("ckpt/01-0.46.keras") + "\n");
  EXPECT_EQ(end_epoch(callback, 1, {{"loss", 0.5}, {"val_loss", 0.9}}),
            "\nEpoch 2: saving model to " + path("ckpt/02-0.90.keras") + "\n");
  // A real .keras file that loads back into the same model.
  const Sequential loaded = models::load_model(path("ckpt/02-0.90.keras"));
  EXPECT_EQ(loaded.count_params(), model.count_params());
}

TEST_F(ModelCheckpointTest, SaveBestOnlySavesImprovementsWithKerasMessages) {
  const std::string file = path("best.keras");
  ModelCheckpoint callback({.filepath = file, .verbose = 1, .save_best_only = true});
  EXPECT_EQ(end_epoch(callback, 0, {{"val_loss", 0.5}}),
            "\nEpoch 1: val_loss improved from inf to 0.50000, saving model to " + file + "\n");
  EXPECT_TRUE(fs::exists(file));
  fs::remove(file);
  EXPECT_EQ(end_epoch(callback, 1, {{"val_loss", 0.6}}),
            "\nEpoch 2: val_loss did not improve from 0.50000\n");
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(end_epoch(callback, 2, {{"val_loss", 0.25}}),
            "\nEpoch 3: val_loss improved from 0.50000 to 0.25000, saving model to " + file + "\n");
  EXPECT_TRUE(fs::exists(file));
  EXPECT_EQ(callback.best(), 0.25);
}

TEST_F(ModelCheckpointTest, AccuraciesImproveUpwardsAndTheThresholdIsTheFirstBest) {
  const std::string file = path("best.weights.h5");
  ModelCheckpoint callback({.filepath = file,
                            .monitor = "val_accuracy",
                            .verbose = 1,
                            .save_best_only = true,
                            .save_weights_only = true,
                            .initial_value_threshold = 0.7});
  EXPECT_EQ(end_epoch(callback, 0, {{"val_accuracy", 0.6}}),
            "\nEpoch 1: val_accuracy did not improve from 0.70000\n");
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(
      end_epoch(callback, 1, {{"val_accuracy", 0.75}}),
      "\nEpoch 2: val_accuracy improved from 0.70000 to 0.75000, saving model to " + file + "\n");
  EXPECT_TRUE(fs::exists(file));
  model.load_weights(file);
}

TEST_F(ModelCheckpointTest, AMissingMonitorWarnsAndSaves) {
  const std::string file = path("m.keras");
  ModelCheckpoint callback({.filepath = file, .save_best_only = true});
  ::testing::internal::CaptureStderr();
  (void)end_epoch(callback, 0, {{"loss", 0.5}});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "UserWarning: Can save best model only with val_loss available.\n");
  EXPECT_TRUE(fs::exists(file));
}

TEST_F(ModelCheckpointTest, IntegerSaveFreqSavesEveryNBatches) {
  ModelCheckpoint callback({.filepath = path("{epoch}-{batch}.keras"), .save_freq = 2});
  callback.set_model(&model);
  for (int epoch = 0; epoch < 2; ++epoch) {
    callback.on_epoch_begin(epoch, {});
    for (int batch = 0; batch < 3; ++batch) callback.on_train_batch_end(batch, {{"loss", 1.0}});
    Logs logs{{"loss", 1.0}};
    callback.on_epoch_end(epoch, logs);
  }
  // Batches are counted across epochs: saves after 2, 4 and 6 batches.
  EXPECT_TRUE(fs::exists(path("1-2.keras")));
  EXPECT_TRUE(fs::exists(path("2-1.keras")));
  EXPECT_TRUE(fs::exists(path("2-3.keras")));
  EXPECT_EQ(std::distance(fs::directory_iterator(path("")), fs::directory_iterator()), 3);
}

TEST_F(ModelCheckpointTest, RejectsAFilepathWithoutTheRightExtensionInKerasWords) {
  EXPECT_EQ(error_message<ValueError>([] { ModelCheckpoint callback({.filepath = "model.h5"}); }),
            "The filepath provided must end in `.keras` (Keras model format). Received: "
            "filepath=model.h5");
  EXPECT_EQ(error_message<ValueError>([] {
              ModelCheckpoint callback({.filepath = "model.keras", .save_weights_only = true});
            }),
            "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided "
            "must end in `.weights.h5` (Keras weights format). Received: filepath=model.keras");
}

TEST_F(ModelCheckpointTest, RejectsAnUnknownSaveFreqInKerasWords) {
  EXPECT_EQ(error_message<ValueError>(
                [] { ModelCheckpoint callback({.filepath = "m.keras", .save_freq = "batch"}); }),
            "Unrecognized save_freq: batch. Expected save_freq are 'epoch' or integer values");
}

TEST_F(ModelCheckpointTest, AFieldTheLogsLackFailsInKerasWords) {
  ModelCheckpoint callback({.filepath = "{epoch}-{val_acc:.2f}.keras"});
  callback.set_model(&model);
  Logs logs{{"val_loss", 0.5}};
  EXPECT_EQ(error_message<ValueError>([&] { callback.on_epoch_end(0, logs); }),
            "Failed to format this callback filepath: \"{epoch}-{val_acc:.2f}.keras\". Reason: "
            "'val_acc'");
}

TEST_F(ModelCheckpointTest, AFolderInTheWayFailsInKerasWords) {
  const std::string folder = path("taken.keras");
  fs::create_directories(folder);
  ModelCheckpoint callback({.filepath = folder});
  callback.set_model(&model);
  Logs logs{{"val_loss", 0.5}};
  EXPECT_EQ(error_message<FileError>([&] { callback.on_epoch_end(0, logs); }),
            "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
            "existing directory: " +
                folder);
}

TEST_F(ModelCheckpointTest, AutoModeRejectsANameItCannotPlaceInKerasWords) {
  ModelCheckpoint callback({.filepath = path("m.keras"), .monitor = "val_f2"});
  callback.set_model(&model);
  Logs logs{{"val_f2", 0.5}};
  EXPECT_EQ(error_message<ValueError>([&] { callback.on_epoch_end(0, logs); }),
            "ModelCheckpoint callback received monitor=val_f2, but Keras isn't able to "
            "automatically determine whether that metric should be maximized or minimized. "
            "Pass `mode='max'` in order to monitor based on the highest metric value, or pass "
            "`mode='min'` in order to use the lowest value.");
}

TEST_F(ModelCheckpointTest, AnUnknownModeWarnsAndFallsBackToAuto) {
  ::testing::internal::CaptureStderr();
  ModelCheckpoint callback({.filepath = "m.keras", .mode = "best"});
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "UserWarning: ModelCheckpoint mode 'best' is unknown, fallback to auto mode.\n");
  EXPECT_EQ(callback.options().mode, "auto");
}

}  // namespace
}  // namespace keras::callbacks
