// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"
#include "keras/callbacks/history.h"
#include "keras/metrics/mean.h"
#include "keras/sequential.h"
#include "keras/tensor.h"
#include "keras/variable.h"
#include "training/training_data.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace keras::training {

/// The loops behind Sequential's fit, evaluate, train_on_batch and test_on_batch: one
/// training step is forward (training mode), the loss and its gradient, backward, one
/// optimizer update, then the running loss and metrics.
class Trainer {
 public:
  explicit Trainer(Sequential& model);

  callbacks::History fit(const Tensor& x, const Tensor& y, const FitOptions& options);
  callbacks::Logs evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& options);
  callbacks::Logs train_on_batch(const Tensor& x, const Tensor& y);
  callbacks::Logs test_on_batch(const Tensor& x, const Tensor& y);

 private:
  void require_compiled(std::string_view method) const;
  /// Builds the model for x if needed and checks y against the loss for its outputs.
  void check_targets(const TrainingData& data);
  [[nodiscard]] int resolve_verbose(int verbose) const;
  /// The user's callbacks, then History and, when verbose, the progress bar, as Keras adds them.
  [[nodiscard]] std::vector<std::shared_ptr<callbacks::Callback>> callback_list(
      const std::vector<std::shared_ptr<callbacks::Callback>>& user, callbacks::History* history,
      int verbose, int epochs, std::int64_t steps);
  /// The loss and metrics over `data` in inference mode, batch by batch.
  [[nodiscard]] callbacks::Logs run_test_loop(
      const TrainingData& data, std::int64_t batch_size,
      const std::vector<std::shared_ptr<callbacks::Callback>>& callbacks);
  void train_step(const Tensor& x, const Tensor& y);
  [[nodiscard]] const std::vector<std::shared_ptr<metrics::Metric>>& compiled_metrics(
      const Tensor& y, const Tensor& y_pred);
  void test_step(const Tensor& x, const Tensor& y);
  void update_metrics(double loss, const Tensor& y, const Tensor& y_pred);
  void reset_metrics();
  [[nodiscard]] callbacks::Logs metrics_logs() const;

  Sequential& model_;
  std::vector<Variable> trainable_;
  metrics::Mean loss_tracker_{{.name = "loss"}};  // batch losses weighted by batch size
};

}  // namespace keras::training
