// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/history.h"

namespace keras::callbacks {

// As Keras 3's History: the epoch list restarts with each fit, the figures keep growing (fit
// returns a new History each time, so in practice both start empty).
void History::on_train_begin(const Logs& /*logs*/) { epoch_.clear(); }

void History::on_epoch_end(int epoch, Logs& logs) {
  epoch_.push_back(epoch);
  for (const auto& [name, value] : logs) history_[name].push_back(value);
}

}  // namespace keras::callbacks
