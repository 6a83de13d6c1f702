// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/plot_model.h"

#include "keras/error.h"
#include "utils/plot_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace keras::utils {
namespace {

// A quoted DOT identifier: a model's name may hold quotes and backslashes.
std::string quote_id(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

void check_options(const PlotModelOptions& options) {
  constexpr std::array<std::string_view, 4> directions{"TB", "LR", "BT", "RL"};
  if (std::find(directions.begin(), directions.end(), options.rankdir) == directions.end()) {
    throw ValueError(fmt::format(
        "Invalid `rankdir` argument: expected one of 'TB', 'LR', 'BT', 'RL'. Received: rankdir={}",
        options.rankdir));
  }
  if (options.dpi <= 0) {
    throw ValueError(fmt::format(
        "Invalid `dpi` argument: expected a positive number. Received: dpi={}", options.dpi));
  }
}

std::string cell(std::string_view caption, std::string_view value) {
  return fmt::format(R"(<td bgcolor="white"><font point-size="14">{}: <b>{}</b></font></td>)",
                     caption, detail::escape_markup(value));
}

// Keras 3's label (model_visualization.make_layer_label): a black title row with the name and
// class, then a white row of input shape, output shape and dtype cells. The InputLayer shows
// no input shape.
std::string layer_label(const layers::Layer& layer, const std::optional<Shape>& input_shape,
                        const Shape& output_shape, const PlotModelOptions& options) {
  std::vector<std::string> cells;
  if (options.show_shapes) {
    if (input_shape) cells.push_back(cell("Input shape", input_shape->to_string()));
    cells.push_back(cell("Output shape", output_shape.to_string()));
  }
  if (options.show_dtype) cells.push_back(cell("Output dtype", name_of(layer.dtype())));
  const std::string title =
      options.show_layer_names
          ? fmt::format("<b>{}</b> ({})", detail::escape_markup(layer.name()),
                        detail::escape_markup(layer.class_name()))
          : fmt::format("<b>{}</b>", detail::escape_markup(layer.class_name()));
  std::string label = fmt::format(
      R"(<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">)"
      R"(<tr><td colspan="{}" bgcolor="black"><font point-size="16" color="white">{}</font>)"
      R"(</td></tr>)",
      std::max<std::size_t>(1, cells.size()), title);
  if (!cells.empty()) label += fmt::format("<tr>{}</tr>", fmt::join(cells, ""));
  return label + "</table>>";
}

}  // namespace

std::string model_to_dot(const Sequential& model, const PlotModelOptions& options) {
  check_options(options);
  if (!model.built()) {
    throw ValueError(
        "This model has not yet been built. Build the model first by calling `build()` or by "
        "calling the model on a batch of data.");
  }
  std::string dot = fmt::format(
      "digraph {} {{\n"
      "  graph [rankdir={}, concentrate=true, dpi={}, splines=ortho];\n"
      "  node [shape=record, fontname=\"Helvetica\", margin=0];\n"
      "  edge [penwidth=2];\n",
      quote_id(model.name()), options.rankdir, options.dpi);
  const auto& layers = model.layers_with_input();
  Shape shape = model.input_shape();
  for (std::size_t index = 0; index < layers.size(); ++index) {
    const layers::Layer& layer = *layers[index];
    std::optional<Shape> input_shape;
    if (layer.class_name() != "InputLayer") {
      input_shape = shape;
      shape = layer.compute_output_shape(shape);
    }
    dot += fmt::format("  layer_{} [label={}];\n", index,
                       layer_label(layer, input_shape, shape, options));
  }
  for (std::size_t index = 1; index < layers.size(); ++index) {
    dot += fmt::format("  layer_{} -> layer_{};\n", index - 1, index);
  }
  return dot + "}\n";
}

void plot_model(const Sequential& model, const std::string& path, const PlotModelOptions& options) {
  // Keras passes the extension to Graphviz as the format.
  const std::string extension = std::filesystem::path(path).extension().string();
  const std::string format = extension.empty() ? "" : extension.substr(1);
  constexpr std::array<std::string_view, 4> formats{"svg", "png", "pdf", "dot"};
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    throw ValueError(fmt::format(
        "Cannot plot to '{}': the file name must end in .svg, .png, .pdf or .dot", path));
  }
  detail::render_with_graphviz(model_to_dot(model, options), format, path);
}

}  // namespace keras::utils
