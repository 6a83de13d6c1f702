// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/plot_model.h"

#include "keras/error.h"
#include "keras/layers/dense.h"
#include "keras/layers/input_layer.h"
#include "support/expect_error.h"
#include "support/models.h"
#include "support/temp_folder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

namespace keras::utils {
namespace {

namespace fs = std::filesystem;
using testing::error_message;
using testing::read_bytes;

// The DOT line of the node whose label names `layer`.
std::string node_line(const std::string& dot, const layers::Layer& layer) {
  const std::string title = "<b>" + layer.name() + "</b> (" + std::string(layer.class_name()) + ")";
  const std::size_t at = dot.find(title);
  if (at == std::string::npos) return {};
  const std::size_t start = dot.rfind('\n', at) + 1;
  return dot.substr(start, dot.find('\n', at) - start);
}

// Puts `folder` alone on the PATH for one test.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& folder) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    ::setenv("PATH", folder.c_str(), 1);
  }
  ~ScopedPath() {
    if (old_) ::setenv("PATH", old_->c_str(), 1);
  }
  ScopedPath(const ScopedPath&) = delete;
  ScopedPath& operator=(const ScopedPath&) = delete;

 private:
  std::optional<std::string> old_;
};

class PlotModelTest : public ::testing::Test {
 protected:
  [[nodiscard]] std::string path(const std::string& name) const { return folder_.path(name); }
  [[nodiscard]] std::size_t files_in_folder() const { return folder_.entry_count(); }

  testing::TempFolder folder_{"keras_plot_model_test_" + std::to_string(::getpid())};
};

TEST_F(PlotModelTest, DotHasABoxPerLayerWithItsInputAndOutputShapes) {
  const Sequential model = testing::mnist_convnet();
  const std::string dot = model_to_dot(model);
  const auto& layers = model.layers_with_input();
  ASSERT_EQ(layers.size(), 8u);
  const std::vector<std::pair<std::string, std::string>> shapes{
      {"", "(None, 28, 28, 1)"},
      {"(None, 28, 28, 1)", "(None, 26, 26, 32)"},
      {"(None, 26, 26, 32)", "(None, 13, 13, 32)"},
      {"(None, 13, 13, 32)", "(None, 11, 11, 64)"},
      {"(None, 11, 11, 64)", "(None, 5, 5, 64)"},
      {"(None, 5, 5, 64)", "(None, 1600)"},
      {"(None, 1600)", "(None, 1600)"},
      {"(None, 1600)", "(None, 10)"}};
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string line = node_line(dot, *layers[i]);
    ASSERT_FALSE(line.empty()) << layers[i]->name() << "\n" << dot;
    EXPECT_EQ(line.rfind("  layer_" + std::to_string(i) + " [label=<<table ", 0), 0u) << line;
    if (shapes[i].first.empty()) {
      EXPECT_EQ(line.find("Input shape"), std::string::npos) << line;
    } else {
      EXPECT_NE(line.find("Input shape: <b>" + shapes[i].first + "</b>"), std::string::npos)
          << line;
    }
    EXPECT_NE(line.find("Output shape: <b>" + shapes[i].second + "</b>"), std::string::npos)
        << line;
    if (i > 0) {
      EXPECT_NE(
          dot.find("  layer_" + std::to_string(i - 1) + " -> layer_" + std::to_string(i) + ";\n"),
          std::string::npos);
    }
  }
  EXPECT_EQ(dot.rfind("digraph \"" + model.name() + "\" {\n", 0), 0u) << dot;
  EXPECT_NE(dot.find("  graph [rankdir=TB, concentrate=true, dpi=200, splines=ortho];\n"),
            std::string::npos);
}

TEST_F(PlotModelTest, LabelsAreKeras3sTables) {
  const Sequential model = testing::mnist_convnet();
  const layers::Layer& flatten = *model.layers_with_input()[5];
  EXPECT_EQ(node_line(model_to_dot(model), flatten),
            "  layer_5 [label=<<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" "
            "cellpadding=\"10\"><tr><td colspan=\"2\" bgcolor=\"black\"><font point-size=\"16\" "
            "color=\"white\"><b>" +
                flatten.name() +
                "</b> (Flatten)</font></td></tr><tr><td bgcolor=\"white\"><font "
                "point-size=\"14\">Input shape: <b>(None, 5, 5, 64)</b></font></td><td "
                "bgcolor=\"white\"><font point-size=\"14\">Output shape: <b>(None, "
                "1600)</b></font></td></tr></table>>];");
}

TEST_F(PlotModelTest, OptionsChooseWhatTheBoxesShow) {
  const Sequential model = testing::mnist_convnet();
  const std::string bare = model_to_dot(model, {.show_shapes = false, .show_layer_names = false});
  EXPECT_EQ(bare.find(" shape: "), std::string::npos);
  EXPECT_NE(bare.find("<td colspan=\"1\" bgcolor=\"black\"><font point-size=\"16\" "
                      "color=\"white\"><b>Flatten</b></font></td></tr></table>>];"),
            std::string::npos)
      << bare;
  const std::string typed = model_to_dot(model, {.show_dtype = true, .rankdir = "LR", .dpi = 96});
  EXPECT_NE(typed.find("Output dtype: <b>float32</b>"), std::string::npos);
  EXPECT_NE(typed.find("rankdir=LR, concentrate=true, dpi=96,"), std::string::npos);
}

TEST_F(PlotModelTest, EscapesNamesForGraphviz) {
  Sequential model("a \"quoted\" model");
  model.add(Input({.shape = {3}}));
  model.add(layers::Dense({.units = 2, .name = "x<y&z"}));
  const std::string dot = model_to_dot(model);
  EXPECT_EQ(dot.rfind("digraph \"a \\\"quoted\\\" model\" {", 0), 0u) << dot;
  EXPECT_NE(dot.find("<b>x&lt;y&amp;z</b> (Dense)"), std::string::npos) << dot;
}

TEST_F(PlotModelTest, RejectsAnUnbuiltModelAndBadOptions) {
  Sequential unbuilt;
  unbuilt.add(layers::Dense({.units = 2}));
  EXPECT_EQ(error_message<ValueError>([&] { (void)model_to_dot(unbuilt); }),
            "This model has not yet been built. Build the model first by calling `build()` or by "
            "calling the model on a batch of data.");
  const Sequential model = testing::mnist_convnet();
  EXPECT_EQ(error_message<ValueError>([&] { (void)model_to_dot(model, {.rankdir = "XY"}); }),
            "Invalid `rankdir` argument: expected one of 'TB', 'LR', 'BT', 'RL'. Received: "
            "rankdir=XY");
  EXPECT_EQ(error_message<ValueError>([&] { (void)model_to_dot(model, {.dpi = 0}); }),
            "Invalid `dpi` argument: expected a positive number. Received: dpi=0");
  EXPECT_EQ(error_message<ValueError>([&] { plot_model(model, path("model.txt")); }),
            "Cannot plot to '" + path("model.txt") +
                "': the file name must end in .svg, .png, .pdf or .dot");
  EXPECT_EQ(
      error_message<ValueError>([&] { plot_model(model, path("model")); }),
      "Cannot plot to '" + path("model") + "': the file name must end in .svg, .png, .pdf or .dot");
}

TEST_F(PlotModelTest, GraphvizDrawsAnSvgAPngAndAPdf) {
  const Sequential model = testing::mnist_convnet();
  plot_model(model, path("model.svg"));
  const std::string svg = read_bytes(path("model.svg"));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find(model.layers_with_input()[5]->name()), std::string::npos);
  EXPECT_NE(svg.find("(None, 5, 5, 64)"), std::string::npos);
  EXPECT_NE(svg.find("(None, 1600)"), std::string::npos);

  plot_model(model, path("model.png"), {.dpi = 72});
  EXPECT_EQ(read_bytes(path("model.png")).substr(0, 4), "\x89PNG");
  plot_model(model, path("model.pdf"));
  EXPECT_EQ(read_bytes(path("model.pdf")).substr(0, 5), "%PDF-");
  plot_model(model, path("model.dot"));
  EXPECT_EQ(read_bytes(path("model.dot")).rfind("digraph", 0), 0u);
  EXPECT_EQ(files_in_folder(), 4u);  // no temporaries left behind
}

TEST_F(PlotModelTest, NamesAMissingOutputFolder) {
  const std::string target = path("missing/model.svg");
  EXPECT_EQ(error_message<FileError>([&] { plot_model(testing::mnist_convnet(), target); }),
            "Cannot write '" + target + "': the folder '" + path("missing") + "' does not exist");
}

TEST_F(PlotModelTest, SaysWhichPackageProvidesAMissingDot) {
  const std::string target = path("model.svg");
  const ScopedPath empty_path(path("no-programs-here"));
  EXPECT_EQ(error_message<Error>([&] { plot_model(testing::mnist_convnet(), target); }),
            "Cannot plot to '" + target +
                "': Graphviz's `dot` program was not found on the PATH; install Graphviz (Debian "
                "and Ubuntu: apt-get install graphviz)");
  EXPECT_EQ(files_in_folder(), 0u);
}

TEST_F(PlotModelTest, AFailingDotLeavesNoFileAndReportsWhatItPrinted) {
  // A stand-in `dot` that fails as Graphviz does on a bad graph.
  fs::create_directories(path("bin"));
  std::ofstream(path("bin/dot")) << "#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n";
  fs::permissions(path("bin/dot"), fs::perms::owner_all);
  const std::string target = path("model.svg");
  std::ofstream(target) << "the old picture";
  {
    const ScopedPath fake_dot(path("bin"));
    EXPECT_EQ(error_message<Error>([&] { plot_model(testing::mnist_convnet(), target); }),
              "Cannot plot to '" + target +
                  "': Graphviz's `dot` failed (exit status 1): Error: syntax error in line 1");
  }
  EXPECT_EQ(read_bytes(target), "the old picture");
  EXPECT_EQ(files_in_folder(), 2u);  // bin/ and the old file
}

}  // namespace
}  // namespace keras::utils
