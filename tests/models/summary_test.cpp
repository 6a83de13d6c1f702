// SPDX-License-Identifier: Apache-2.0
// Sequential::summary() against Keras 3's text (keras-spec.md 2.7).
#include "detail/summary_table.h"
#include "keras/backend.h"
#include "keras/layers/flatten.h"
#include "keras/layers/input_layer.h"
#include "keras/sequential.h"
#include "support/models.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace keras {
namespace {

using testing::summary_text;

class SummaryTest : public ::testing::Test {
 protected:
  void SetUp() override { backend::clear_session(); }
};

TEST_F(SummaryTest, SeedModelPrintsKerasTable) {
  Sequential model;
  model.add(layers::Flatten({.input_shape = {28, 28, 1}}));
  // An 80-column terminal: line length 76.
  EXPECT_EQ(summary_text(model, 76),
            "Model: \"sequential\"\n"
            "\n"
            "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
            "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
            "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
            "│ flatten (Flatten)               │ (None, 784)            │             0 │\n"
            "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
            " Total params: 0 (0.00 B)\n"
            " Trainable params: 0 (0.00 B)\n"
            " Non-trainable params: 0 (0.00 B)\n");
}

TEST_F(SummaryTest, SeveralFlattensGetAutomaticNames) {
  Sequential model;
  model.add(Input({.shape = {28, 28, 1}}));
  model.add(layers::Flatten());
  model.add(layers::Flatten());
  EXPECT_EQ(summary_text(model, 76),
            "Model: \"sequential\"\n"
            "\n"
            "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓\n"
            "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃\n"
            "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩\n"
            "│ flatten (Flatten)               │ (None, 784)            │             0 │\n"
            "├─────────────────────────────────┼────────────────────────┼───────────────┤\n"
            "│ flatten_1 (Flatten)             │ (None, 784)            │             0 │\n"
            "└─────────────────────────────────┴────────────────────────┴───────────────┘\n"
            " Total params: 0 (0.00 B)\n"
            " Trainable params: 0 (0.00 B)\n"
            " Non-trainable params: 0 (0.00 B)\n");
}

TEST_F(SummaryTest, Keras88ColumnDefaultWidths) {
  Sequential model;
  model.add(layers::Flatten({.input_shape = {28, 28, 1}}));
  const std::string text = summary_text(model, 88);
  // 38, 29 and 17 cells between the four walls (keras-spec.md 2.7).
  EXPECT_NE(
      text.find("┃ Layer (type)                         ┃ Output Shape                ┃         "
                "Param # ┃\n"),
      std::string::npos)
      << text;
}

TEST_F(SummaryTest, UnbuiltLayersShowQuestionMarks) {
  Sequential model("waiting");
  model.add(layers::Flatten());
  const std::string text = summary_text(model, 76);
  EXPECT_NE(text.find("Model: \"waiting\""), std::string::npos);
  EXPECT_NE(
      text.find("│ flatten (Flatten)               │ ?                      │   0 (unbuilt) │"),
      std::string::npos)
      << text;
}

TEST_F(SummaryTest, LongNamesWrapInsideTheirCell) {
  Sequential model;
  model.add(Input({.shape = {2, 2}}));
  model.add(layers::Flatten({.name = "a_rather_long_layer_name_for_this_table"}));
  const std::string text = summary_text(model, 76);
  EXPECT_NE(
      text.find("│ a_rather_long_layer_name_for_t… │ (None, 4)              │             0 │\n"
                "│ (Flatten)                       │                        │               │\n"),
      std::string::npos)
      << text;
}

TEST_F(SummaryTest, LineLengthFollowsTheColumnsVariable) {
  ::setenv("COLUMNS", "64", 1);
  Sequential model;
  model.add(layers::Flatten({.input_shape = {3}}));
  const std::string text = summary_text(model, 0);
  ::unsetenv("COLUMNS");
  // min(88, 64 - 4) = 60 columns per table line; each box character is 3 bytes of UTF-8.
  const std::string first_line =
      text.substr(text.find("┏"), text.find('\n', text.find("┏")) - text.find("┏"));
  EXPECT_EQ(first_line.size(), 60u * 3u);
}

TEST(SummaryFormatTest, SizesAndCountsReadLikeKeras) {
  EXPECT_EQ(detail::with_thousands_separators(34826), "34,826");
  EXPECT_EQ(detail::with_thousands_separators(320), "320");
  EXPECT_EQ(detail::with_thousands_separators(1234567), "1,234,567");
  EXPECT_EQ(detail::readable_memory_size(0), "0.00 B");
  EXPECT_EQ(detail::readable_memory_size(1023), "1023.00 B");
  EXPECT_EQ(detail::readable_memory_size(1024), "1.00 KB");
  EXPECT_EQ(detail::readable_memory_size(139304), "136.04 KB");
  EXPECT_EQ(detail::format_summary_shape({None}), "(None)");
  EXPECT_EQ(detail::format_summary_shape({None, 26, 26, 32}), "(None, 26, 26, 32)");
}

}  // namespace
}  // namespace keras
