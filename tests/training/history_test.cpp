// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/history.h"

#include <gtest/gtest.h>

namespace keras::callbacks {
namespace {

TEST(HistoryTest, RecordsEachFigurePerEpoch) {
  History history;
  history.set_params({{"verbose", 1}, {"epochs", 2}, {"steps", 422}});
  history.on_train_begin({});
  Logs first{{"loss", 0.5}, {"val_loss", 0.25}};
  Logs second{{"loss", 0.25}, {"val_loss", 0.125}};
  history.on_epoch_end(0, first);
  history.on_epoch_end(1, second);
  EXPECT_EQ(history.epoch(), (std::vector<int>{0, 1}));
  EXPECT_EQ(history.history().at("loss"), (std::vector<double>{0.5, 0.25}));
  EXPECT_EQ(history.history().at("val_loss"), (std::vector<double>{0.25, 0.125}));
  EXPECT_EQ(history.params().at("steps"), 422);
}

TEST(HistoryTest, ANewTrainingRestartsTheEpochsButKeepsTheFigures) {
  // Keras 3's History: `on_train_begin` sets `self.epoch = []`; `self.history` is made once.
  History history;
  history.on_train_begin({});
  Logs logs{{"loss", 1.0}};
  history.on_epoch_end(0, logs);
  history.on_train_begin({});
  logs["loss"] = 2.0;
  history.on_epoch_end(5, logs);
  EXPECT_EQ(history.epoch(), (std::vector<int>{5}));
  EXPECT_EQ(history.history().at("loss"), (std::vector<double>{1.0, 2.0}));
}

}  // namespace
}  // namespace keras::callbacks
