// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/progbar.h"

#include "support/progbar_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

// The expected texts are what Keras 3's progbar.py prints for the same calls and clock.

namespace keras::utils {
namespace {

using testing::back;
using testing::bold;
using testing::done;
using testing::todo;

// A Progbar on a clock the test sets, writing into `printed` (one entry per update).
class ProgbarTest : public ::testing::Test {
 protected:
  ProgbarOptions options(ProgbarOptions base = {}) {
    base.clock = [this] { return now; };
    base.write = [this](std::string_view text) { printed.back() += text; };
    return base;
  }
  void update(Progbar& bar, double at, std::int64_t current, const ProgbarValues& values = {},
              std::optional<bool> finalize = std::nullopt) {
    now = at;
    printed.emplace_back();
    bar.update(current, values, finalize);
  }

  double now = 0.0;
  std::vector<std::string> printed;
};

TEST_F(ProgbarTest, RedrawsTheBarWithEtaAndStepWeightedAverages) {
  Progbar bar(10, options());
  update(bar, 1.0, 1, {{"loss", 0.5}, {"accuracy", 0.25}});
  update(bar, 1.25, 2, {{"loss", 0.3}, {"accuracy", 0.5}});
  update(bar, 1.5, 5, {{"loss", 0.2}, {"accuracy", 0.75}});
  EXPECT_EQ(printed[0], "\r" + bold(" 1/10") + " " + done(2) + todo(18) + " " + bold("9s") +
                            " 1s/step - loss: 0.5000 - accuracy: 0.2500");
  // The first step is left out of the estimate: 0.25 s for step 2, so the ETA is 2 s.
  EXPECT_EQ(printed[1], back(71) + "\r" + bold(" 2/10") + " " + done(4) + todo(16) + " " +
                            bold("2s") + " 250ms/step - loss: 0.4000 - accuracy: 0.3750");
  // Three steps since the last update: loss (0.5 + 0.3 + 3 * 0.2) / 5.
  EXPECT_EQ(printed[2], back(74) + "\r" + bold(" 5/10") + " " + done(10) + todo(10) + " " +
                            bold("0s") + " 125ms/step - loss: 0.2800 - accuracy: 0.6000");
}

TEST_F(ProgbarTest, FinalUpdateShowsElapsedTimeAndTheGivenValues) {
  Progbar bar(10, options());
  update(bar, 1.0, 1, {{"loss", 0.5}, {"accuracy", 0.25}});
  update(bar, 1.25, 2, {{"loss", 0.3}, {"accuracy", 0.5}});
  update(bar, 1.5, 5, {{"loss", 0.2}, {"accuracy", 0.75}});
  update(bar, 3.0, 10, {{"accuracy", 0.6}, {"loss", 0.2}, {"val_loss", 0.25}});
  EXPECT_EQ(printed[3], back(74) + "\r" + bold("10/10") + " " + done(20) + todo(0) + " " +
                            bold("3s") +
                            " 222ms/step - loss: 0.2000 - accuracy: 0.6000 - val_loss: 0.2500\n");
}

TEST_F(ProgbarTest, ThrottlesUpdatesWithinTheIntervalButNotTheFinalOne) {
  Progbar bar(4, options());
  update(bar, 1.0, 1, {{"loss", 1.0}});
  update(bar, 1.03125, 2, {{"loss", 1.0}});  // 0.03 s later: not drawn
  update(bar, 1.0625, 4, {{"loss", 2.0}});   // final: drawn anyway
  EXPECT_FALSE(printed[0].empty());
  EXPECT_EQ(printed[1], "");
  EXPECT_EQ(printed[2].back(), '\n');
  // A skipped update still counts: its values are in the average, its step in the estimate.
  now = 0.0;
  Progbar averaged(8, options({.interval = 0.5}));
  update(averaged, 1.0, 1, {{"loss", 4.0}});
  update(averaged, 1.25, 2, {{"loss", 2.0}});
  update(averaged, 2.0, 3, {{"loss", 0.0}});
  EXPECT_EQ(printed[4], "");
  EXPECT_EQ(printed[5], back(50) + "\r" + bold("3/8") + " " + done(7) + todo(13) + " " +
                            bold("2s") + " 500ms/step - loss: 2.0000");
}

TEST_F(ProgbarTest, PadsALineThatGotShorter) {
  Progbar bar(10, options());
  update(bar, 20.0, 1);
  update(bar, 21.0, 2);
  EXPECT_EQ(printed[0],
            "\r" + bold(" 1/10") + " " + done(2) + todo(18) + " " + bold("3:00") + " 20s/step");
  EXPECT_EQ(printed[1], back(40) + "\r" + bold(" 2/10") + " " + done(4) + todo(16) + " " +
                            bold("8s") + " 1s/step   ");
}

TEST_F(ProgbarTest, FormatsLongEtasAsMinutesAndHours) {
  Progbar hours(10000, options());
  update(hours, 2.0, 1);
  update(hours, 3.0, 2);
  update(hours, 4.5, 3);
  EXPECT_EQ(printed[0],
            "\r" + bold("    1/10000") + " " + todo(20) + " " + bold("5:33:18") + " 2s/step");
  EXPECT_EQ(printed[1], back(48) + "\r" + bold("    2/10000") + " " + todo(20) + " " +
                            bold("2:46:38") + " 1s/step");
  EXPECT_EQ(printed[2], back(48) + "\r" + bold("    3/10000") + " " + todo(20) + " " +
                            bold("3:28:16") + " 1s/step");
  now = 0.0;
  Progbar minutes(100, options());
  update(minutes, 2.0, 1);
  update(minutes, 2.5, 2);
  EXPECT_EQ(printed[3], "\r" + bold("  1/100") + " " + todo(20) + " " + bold("3:18") + " 2s/step");
  EXPECT_EQ(printed[4],
            back(41) + "\r" + bold("  2/100") + " " + todo(20) + " " + bold("49s") + " 500ms/step");
}

TEST_F(ProgbarTest, PrintsSmallValuesInScientificNotationAndShortStepsInMicroseconds) {
  Progbar bar(3, options());
  update(bar, 0.0123, 1, {{"loss", 1e-4}, {"neg", -0.5}, {"tiny", -1e-5}});
  EXPECT_EQ(printed[0], "\r" + bold("1/3") + " " + done(6) + todo(14) + " " + bold("0s") +
                            " 12ms/step - loss: 1.0000e-04 - neg: -0.5000 - tiny: -1.0000e-05");
  now = 0.0;
  Progbar fast(2, options({.verbose = 2}));
  update(fast, 0.02, 1);
  update(fast, 0.020045, 2);
  EXPECT_EQ(printed[2], "2/2 - 0s - 45us/step\n");
}

TEST_F(ProgbarTest, VerboseTwoPrintsOneLineWhenFinalized) {
  Progbar bar(100, options({.verbose = 2}));
  update(bar, 1.0, 1, {{"loss", 0.5}, {"accuracy", 0.25}});
  update(bar, 2.0, 50, {{"loss", 0.3}, {"accuracy", 0.5}});
  update(bar, 5.5, 100, {{"accuracy", 0.6}, {"loss", -0.5}, {"val_loss", 0.0005}});
  EXPECT_EQ(printed[0], "");
  EXPECT_EQ(printed[1], "");
  // Keras compares without abs() here, so a negative value gets the exponent form.
  EXPECT_EQ(printed[2],
            "100/100 - 6s - 45ms/step - loss: -5.0000e-01 - accuracy: 0.6000 - val_loss: "
            "5.0000e-04\n");
}

TEST_F(ProgbarTest, UnknownTargetCountsStepsUntilFinalized) {
  Progbar bar(std::nullopt, options());
  update(bar, 0.5, 1, {{"loss", 2.0}});
  update(bar, 1.0, 2, {{"loss", 1.0}});
  update(bar, 1.5, 3, {{"loss", 1.0}}, true);
  EXPECT_EQ(printed[0], "\r      1/Unknown " + bold("0s") + " 500ms/step - loss: 2.0000");
  EXPECT_EQ(printed[1],
            back(44) + "\r      2/Unknown " + bold("1s") + " 500ms/step - loss: 1.5000");
  EXPECT_EQ(printed[2],
            back(44) + "\r      3/Unknown " + bold("2s") + " 500ms/step - loss: 1.0000\n");
  // Knowing the target later (as ProgbarLogger does) gives the bar back.
  bar.set_target(3);
  EXPECT_EQ(bar.target(), 3);
}

TEST_F(ProgbarTest, ZeroTargetIsShownAsUnknownAndSkippedByVerboseTwo) {
  Progbar bar(0, options());
  update(bar, 1.0, 0, {{"loss", 3.0}}, true);
  EXPECT_EQ(printed[0], "\r      0/Unknown " + bold("1s") + " 0s/step - loss: 3.0000\n");
  now = 0.0;
  Progbar quiet(0, options({.verbose = 2}));
  update(quiet, 1.0, 0, {{"loss", 3.0}}, true);
  EXPECT_EQ(printed[1], "");
}

TEST_F(ProgbarTest, WithoutDynamicDisplayEachUpdateStartsANewLine) {
  Progbar bar(2, options({.dynamic_display = false}));
  update(bar, 1.0, 1, {{"loss", 2.0}});
  update(bar, 2.0, 2, {{"loss", 1.0}});
  EXPECT_EQ(printed[0], "\n" + bold("1/2") + " " + done(10) + todo(10) + " " + bold("1s") +
                            " 1s/step - loss: 2.0000");
  EXPECT_EQ(printed[1], "\n" + bold("2/2") + " " + done(20) + todo(0) + " " + bold("2s") +
                            " 1s/step - loss: 1.0000\n");
}

TEST_F(ProgbarTest, StatefulMetricsAreShownAsGiven) {
  Progbar bar(4, options({.stateful_metrics = {"accuracy"}}));
  update(bar, 1.0, 1, {{"loss", 4.0}, {"accuracy", 0.5}});
  update(bar, 2.0, 3, {{"loss", 1.0}, {"accuracy", 0.25}});
  EXPECT_EQ(printed[1], back(69) + "\r" + bold("3/4") + " " + done(15) + todo(5) + " " +
                            bold("0s") + " 500ms/step - loss: 2.0000 - accuracy: 0.2500");
}

TEST_F(ProgbarTest, AddAdvancesFromTheStepsSeen) {
  Progbar bar(4, options());
  now = 1.0;
  printed.emplace_back();
  bar.add(2, {{"loss", 3.0}});
  now = 2.0;
  printed.emplace_back();
  bar.add(2, {{"loss", 1.0}});
  EXPECT_EQ(printed[0], "\r" + bold("2/4") + " " + done(10) + todo(10) + " " + bold("1s") +
                            " 500ms/step - loss: 3.0000");
  EXPECT_EQ(printed[1], back(53) + "\r" + bold("4/4") + " " + done(20) + todo(0) + " " +
                            bold("2s") + " 500ms/step - loss: 1.0000\n");
}

TEST_F(ProgbarTest, VerboseZeroPrintsNothing) {
  Progbar bar(2, options({.verbose = 0}));
  update(bar, 1.0, 1, {{"loss", 1.0}});
  update(bar, 2.0, 2, {{"loss", 1.0}});
  EXPECT_EQ(printed[0] + printed[1], "");
}

}  // namespace
}  // namespace keras::utils
