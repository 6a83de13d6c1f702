// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/sequential.h"

#include <string>

namespace keras::utils {

/// plot_model's keyword arguments, in Keras's order. kerascpp shows shapes by default (Keras
/// does not), since that is what the picture is usually for.
struct PlotModelOptions {
  bool show_shapes = true;       // each box's input and output shapes
  bool show_dtype = false;       // each layer's output dtype
  bool show_layer_names = true;  // "conv2d (Conv2D)", else "Conv2D"
  std::string rankdir = "TB";    // Graphviz's direction: "TB" top to bottom, "LR", "BT", "RL"
  int dpi = 200;                 // resolution of .png output
};

/// The Graphviz DOT text of the model's graph (Python: `keras.utils.model_to_dot`): one box
/// per layer, the InputLayer first, each with Keras 3's table label (name, class, shapes), and
/// an edge from each layer to the next. Throws ValueError when the model is not built or an
/// option is invalid.
[[nodiscard]] std::string model_to_dot(const Sequential& model,
                                       const PlotModelOptions& options = {});

/// Draws the model into `path` with Graphviz's `dot` program (Python:
/// `keras.utils.plot_model(model, to_file=path, show_shapes=True)`); the format follows the
/// extension: .svg, .png, .pdf or .dot (Graphviz's laid-out DOT). The image is written beside
/// `path` and renamed over it at the end, so a failure leaves no half file.
///
///     keras::utils::plot_model(model, "model.svg");
///
/// Throws ValueError for another extension or none (Keras would guess PNG), FileError when the
/// folder does not exist, and Error when `dot` is missing (Debian package graphviz) or fails (with
/// its message).
///
/// Keras: https://keras.io/api/utils/model_plotting_utils/
void plot_model(const Sequential& model, const std::string& path,
                const PlotModelOptions& options = {});

}  // namespace keras::utils
