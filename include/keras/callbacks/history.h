// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace keras::callbacks {

/// What fit returns (Keras's `History`): each figure per epoch, e.g. `history()["val_loss"]`.
class History : public Callback {
 public:
  /// {figure name: [value per epoch]}, Python's `history.history`.
  [[nodiscard]] const std::map<std::string, std::vector<double>>& history() const noexcept {
    return history_;
  }
  /// The epochs recorded, from 0 (Python's `history.epoch`).
  [[nodiscard]] const std::vector<int>& epoch() const noexcept { return epoch_; }
  /// fit's settings: "verbose", "epochs", "steps" (Python's `history.params`).
  [[nodiscard]] const std::map<std::string, long long>& params() const noexcept { return params_; }
  void set_params(std::map<std::string, long long> params) { params_ = std::move(params); }

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  std::map<std::string, std::vector<double>> history_;
  std::vector<int> epoch_;
  std::map<std::string, long long> params_;
};

}  // namespace keras::callbacks
