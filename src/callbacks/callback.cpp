// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/callback.h"

#include "keras/error.h"

namespace keras::callbacks {

Sequential& Callback::model() const {
  // Keras returns None here and fails later on an attribute of None; say what is missing.
  if (model_ == nullptr) {
    throw ValueError(
        "This callback is not attached to a model: pass it to `fit()`, `evaluate()` or "
        "`predict()`, or call `set_model(&model)` first.");
  }
  return *model_;
}

}  // namespace keras::callbacks
