// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/terminate_on_nan.h"

#include "callbacks/io_utils.h"
#include "callbacks/python_format.h"
#include "detail/python_repr.h"
#include "keras/error.h"
#include "keras/sequential.h"

#include <fmt/format.h>

#include <cmath>

// Follows keras/src/callbacks/terminate_on_nan.py (Keras 3).

namespace keras::callbacks {

void TerminateOnNaN::on_train_batch_end(int batch, const Logs& logs) {
  const auto loss = logs.find("loss");
  if (loss == logs.end() || std::isfinite(loss->second)) return;
  if (options_.raise_error) {
    // Python's RuntimeError; keras::Error is kerascpp's runtime error.
    throw Error(
        fmt::format("NaN or Inf loss encountered at batch {}. Loss value: {}. Terminating training "
                    "immediately.",
                    batch, keras::detail::python_float(loss->second)));
  }
  detail::print_msg(fmt::format("Batch {}: Invalid loss, terminating training", batch));
  model().set_stop_training(true);
}

}  // namespace keras::callbacks
