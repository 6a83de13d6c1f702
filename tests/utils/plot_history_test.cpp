// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/plot_history.h"

#include "keras/error.h"
#include "support/expect_error.h"
#include "support/temp_folder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

namespace keras::utils {
namespace {

namespace fs = std::filesystem;
using testing::error_message;
using testing::read_bytes;

// True when every element opened is closed in order (XML well-formedness, as far as tags go).
::testing::AssertionResult tags_balance(const std::string& xml) {
  std::vector<std::string> open;
  for (std::size_t at = xml.find('<'); at != std::string::npos; at = xml.find('<', at + 1)) {
    const std::size_t end = xml.find('>', at);
    if (end == std::string::npos) return ::testing::AssertionFailure() << "unclosed '<' at " << at;
    const std::string tag = xml.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '?' || tag[0] == '!' || tag.back() == '/') continue;
    const std::string name = tag.substr(tag[0] == '/', tag.find_first_of(" \n") - (tag[0] == '/'));
    if (tag[0] != '/') {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return ::testing::AssertionFailure() << "</" << name << "> closes nothing open at " << at;
    } else {
      open.pop_back();
    }
  }
  if (!open.empty()) return ::testing::AssertionFailure() << "<" << open.back() << "> not closed";
  return ::testing::AssertionSuccess();
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t found = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++found;
  }
  return found;
}

callbacks::History history_of(const std::vector<callbacks::Logs>& epochs) {
  callbacks::History history;
  history.on_train_begin({});
  for (std::size_t epoch = 0; epoch < epochs.size(); ++epoch) {
    callbacks::Logs logs = epochs[epoch];
    history.on_epoch_end(static_cast<int>(epoch), logs);
  }
  return history;
}

class PlotHistoryTest : public ::testing::Test {
 protected:
  [[nodiscard]] std::string path(const std::string& name) const { return folder_.path(name); }
  [[nodiscard]] std::size_t files_in_folder() const { return folder_.entry_count(); }

  testing::TempFolder folder_{"keras_plot_history_test_" + std::to_string(::getpid())};
};

TEST_F(PlotHistoryTest, DrawsAPanelPerFigureWithTrainingAndValidationLines) {
  std::vector<callbacks::Logs> epochs;
  for (int epoch = 0; epoch < 5; ++epoch) {
    epochs.push_back({{"loss", 1.0 / (epoch + 1)},
                      {"val_loss", 1.2 / (epoch + 1)},
                      {"accuracy", 0.5 + 0.1 * epoch},
                      {"val_accuracy", 0.45 + 0.1 * epoch}});
  }
  plot_history(history_of(epochs), path("history.svg"));
  const std::string svg = read_bytes(path("history.svg"));
  EXPECT_EQ(
      svg.rfind(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
          "width=\"920\" height=\"340\"",
          0),
      0u)
      << svg.substr(0, 200);
  EXPECT_TRUE(tags_balance(svg));
  for (const char* series : {"loss", "val_loss", "accuracy", "val_accuracy"}) {
    EXPECT_EQ(count(svg, std::string("<title>") + series + "</title>"), 1u) << series;
    EXPECT_EQ(count(svg, std::string(">") + series + "</text>"), series[0] == 'v' ? 1u : 3u)
        << series;  // legend; the training name also titles the panel and its y axis
  }
  EXPECT_LT(svg.find("<title>loss</title>"), svg.find("<title>accuracy</title>"));  // loss first
  EXPECT_EQ(count(svg, "<circle "), 20u);  // a dot per epoch and series
  EXPECT_EQ(count(svg, ">Epoch</text>"), 2u);
  EXPECT_EQ(count(svg, "stroke-dasharray"), 4u);  // validation lines and their legend samples
  for (const char* tick : {">1</text>", ">3</text>", ">5</text>", ">0.6</text>", ">1.0</text>"}) {
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  }
}

TEST_F(PlotHistoryTest, BreaksTheLineAtANonFiniteValue) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  plot_history(
      history_of(
          {{{"loss", 2.0}}, {{"loss", 1.0}}, {{"loss", nan}}, {{"loss", 0.5}}, {{"loss", 0.25}}}),
      path("history.svg"));
  const std::string svg = read_bytes(path("history.svg"));
  const std::size_t line = svg.find("<path d=\"");
  ASSERT_NE(line, std::string::npos);
  const std::string d = svg.substr(line, svg.find('"', line + 9) - line);
  EXPECT_EQ(count(d, "M"), 2u) << d;
  EXPECT_EQ(count(d, "L"), 2u) << d;
  EXPECT_EQ(count(svg, "<circle "), 4u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

TEST_F(PlotHistoryTest, DrawsASingleEpochAndFiguresWithoutValidation) {
  plot_history(history_of({{{"learning_rate", 0.001}, {"loss", 0.3}}}), path("one.svg"));
  const std::string svg = read_bytes(path("one.svg"));
  EXPECT_TRUE(tags_balance(svg));
  EXPECT_NE(svg.find("<title>learning_rate</title>"), std::string::npos);
  EXPECT_EQ(count(svg, "<circle "), 2u);
  EXPECT_EQ(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

// Found in review: values one ulp apart made the tick step smaller than their resolution,
// and the tick loop never ended.
TEST_F(PlotHistoryTest, DrawsValuesThatDifferByOneUlp) {
  plot_history(history_of({{{"loss", 0.1}}, {{"loss", std::nextafter(0.1, 1.0)}}}),
               path("flat.svg"));
  const std::string svg = read_bytes(path("flat.svg"));
  EXPECT_TRUE(tags_balance(svg));
  EXPECT_LT(svg.size(), 20000u);
}

TEST_F(PlotHistoryTest, RejectsAnEmptyHistory) {
  EXPECT_EQ(error_message<ValueError>([&] { plot_history({}, path("empty.svg")); }),
            "Cannot plot the History to '" + path("empty.svg") +
                "': it holds no epochs (it fills in during fit())");
  EXPECT_EQ(files_in_folder(), 0u);
}

TEST_F(PlotHistoryTest, WritesAtomically) {
  const callbacks::History history = history_of({{{"loss", 1.0}}, {{"loss", 0.5}}});
  const std::string target = path("history.svg");
  std::ofstream(target) << "an old, much longer picture " << std::string(100000, 'x');
  plot_history(history, target);
  EXPECT_TRUE(tags_balance(read_bytes(target)));
  EXPECT_EQ(files_in_folder(), 1u);

  // A target that cannot be replaced (a folder) keeps what was there and leaves no temporary.
  const std::string folder_target = path("taken.svg");
  fs::create_directories(folder_target);
  const std::string message =
      error_message<FileError>([&] { plot_history(history, folder_target); });
  EXPECT_EQ(message.rfind("Cannot write '" + folder_target + "': ", 0), 0u) << message;
  EXPECT_TRUE(fs::is_directory(folder_target));
  EXPECT_EQ(files_in_folder(), 2u);

  EXPECT_EQ(error_message<FileError>([&] { plot_history(history, path("missing/h.svg")); }),
            "Cannot write '" + path("missing/h.svg") + "': the folder '" + path("missing") +
                "' does not exist");
}

}  // namespace
}  // namespace keras::utils
