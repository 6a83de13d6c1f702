// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/history.h"

#include <string>

namespace keras::utils {

/// Draws what fit() recorded as an SVG line chart at `path`: one panel per figure ("loss",
/// "accuracy", ...) with its training and validation ("val_loss") curves over the epochs
/// (counted from 1, as fit prints them), axis ticks and a legend. The file is written beside
/// `path` and renamed over it at the end, so a failure leaves no half file.
///
///     auto history = model.fit(x_train, y_train, {.epochs = 10, .validation_split = 0.1});
///     keras::utils::plot_history(history, "history.svg");
///
/// Throws ValueError when the History holds no epochs, FileError when the file cannot be
/// written. (Python users plot `history.history` with matplotlib; kerascpp draws it itself.)
void plot_history(const callbacks::History& history, const std::string& path);

}  // namespace keras::utils
