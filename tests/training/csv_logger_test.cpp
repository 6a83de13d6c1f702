// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/csv_logger.h"

#include "keras/error.h"
#include "support/expect_error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace keras::callbacks {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

class CSVLoggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("kerascpp_csv_logger_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }
  [[nodiscard]] static std::string contents(const std::string& file) {
    std::ifstream stream(file, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
  }
  // One training with one epoch per entry of `epochs`.
  static void train(CSVLogger& logger, std::vector<Logs> epochs) {
    logger.on_train_begin({});
    for (std::size_t epoch = 0; epoch < epochs.size(); ++epoch) {
      logger.on_epoch_end(static_cast<int>(epoch), epochs[epoch]);
    }
    logger.on_train_end({});
  }

 private:
  fs::path dir_;
};

TEST_F(CSVLoggerTest, WritesAHeaderAndARowPerEpochAsPythonsCsvDoes) {
  const std::string file = path("training.log");
  CSVLogger logger({.filename = file});
  train(logger, {{{"loss", 0.5}, {"accuracy", 0.75}, {"val_loss", 1.0}},
                 {{"loss", 1e-05}, {"accuracy", 1.0 / 3.0}, {"val_loss", 0.1}}});
  EXPECT_EQ(contents(file),
            "epoch,accuracy,loss,val_loss\r\n"
            "0,0.75,0.5,1.0\r\n"
            "1,0.3333333333333333,1e-05,0.1\r\n");
}

TEST_F(CSVLoggerTest, FlushesEachEpoch) {
  const std::string file = path("live.csv");
  CSVLogger logger({.filename = file});
  logger.on_train_begin({});
  Logs logs{{"loss", 2.0}};
  logger.on_epoch_end(0, logs);
  EXPECT_EQ(contents(file), "epoch,loss\r\n0,2.0\r\n");
  logger.on_train_end({});
}

TEST_F(CSVLoggerTest, KeepsTheFirstEpochsNamesAndWritesNAForMissingOnes) {
  const std::string file = path("na.csv");
  CSVLogger logger({.filename = file, .separator = ';'});
  train(logger, {{{"loss", 0.5}, {"val_loss", 0.25}}, {{"loss", 0.25}, {"learning_rate", 0.1}}});
  EXPECT_EQ(contents(file), "epoch;loss;val_loss\r\n0;0.5;0.25\r\n1;0.25;NA\r\n");
}

TEST_F(CSVLoggerTest, QuotesNamesHoldingTheSeparator) {
  const std::string file = path("quoted.csv");
  CSVLogger logger({.filename = file});
  train(logger, {{{"a,b", 1.0}, {"say \"hi\"", 2.0}}});
  EXPECT_EQ(contents(file), "epoch,\"a,b\",\"say \"\"hi\"\"\"\r\n0,1.0,2.0\r\n");
}

TEST_F(CSVLoggerTest, OverwritesUnlessAppending) {
  const std::string file = path("runs.csv");
  CSVLogger fresh({.filename = file});
  train(fresh, {{{"loss", 1.0}}});
  train(fresh, {{{"loss", 2.0}}});
  EXPECT_EQ(contents(file), "epoch,loss\r\n0,2.0\r\n");
  // Appending to a file that has content adds rows without a second header.
  CSVLogger appending({.filename = file, .append = true});
  train(appending, {{{"loss", 3.0}}});
  EXPECT_EQ(contents(file), "epoch,loss\r\n0,2.0\r\n0,3.0\r\n");
}

TEST_F(CSVLoggerTest, AppendingToAnEmptyOrMissingFileWritesTheHeader) {
  const std::string file = path("new.csv");
  CSVLogger logger({.filename = file, .append = true});
  train(logger, {{{"loss", 1.0}}});
  EXPECT_EQ(contents(file), "epoch,loss\r\n0,1.0\r\n");
}

TEST_F(CSVLoggerTest, AFileThatCannotBeOpenedFailsInPythonsWords) {
  const std::string file = path("missing/log.csv");
  CSVLogger logger({.filename = file});
  EXPECT_EQ(error_message<FileError>([&] { logger.on_train_begin({}); }),
            "[Errno 2] No such file or directory: '" + file + "'");
}

}  // namespace
}  // namespace keras::callbacks
