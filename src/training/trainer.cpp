// SPDX-License-Identifier: Apache-2.0
#include "training/trainer.h"

#include "detail/seed_stream.h"
#include "keras/callbacks/progbar_logger.h"
#include "keras/error.h"
#include "keras/losses/loss.h"
#include "keras/metrics/metric.h"
#include "keras/optimizers/optimizer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace keras::training {
namespace {

using CallbackList = std::vector<std::shared_ptr<callbacks::Callback>>;

void check_batch_size(std::int64_t batch_size) {
  if (batch_size <= 0) {
    throw ValueError(fmt::format("`batch_size` must be a positive integer. Received: batch_size={}",
                                 batch_size));
  }
}

std::int64_t steps_for(std::int64_t samples, std::int64_t batch_size) {
  return samples / batch_size + (samples % batch_size != 0 ? 1 : 0);
}

// The seed of one epoch's shuffle, from the seed drawn once per fit.
std::uint64_t epoch_seed(std::uint64_t fit_seed, int epoch) {
  return fit_seed ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(epoch + 1));
}

}  // namespace

Trainer::Trainer(Sequential& model) : model_(model) {}

void Trainer::require_compiled(std::string_view method) const {
  if (!model_.compiled()) {
    throw ValueError(fmt::format("You must call `compile()` before calling `{}()`.", method));
  }
}

void Trainer::check_targets(const TrainingData& data) {
  if (!model_.built()) model_.build(Shape::of(data.x.shape()).without_batch().with_batch(None));
  Shape predictions = model_.output_shape().without_batch().with_batch(data.size());
  model_.loss().check_targets(Shape::of(data.y.shape()), predictions, data.y.dtype());
}

int Trainer::resolve_verbose(int verbose) const {
  if (verbose != verbose_auto) return verbose;
  return isatty(STDOUT_FILENO) != 0 ? 1 : 2;
}

CallbackList Trainer::callback_list(const CallbackList& user, callbacks::History* history,
                                    int verbose, int epochs, std::int64_t steps) {
  CallbackList list(user.begin(), user.end());
  if (history != nullptr) {
    list.push_back(std::shared_ptr<callbacks::Callback>(history, [](callbacks::Callback*) {}));
  }
  // As Keras's CallbackList: a ProgbarLogger the user passes is the one used.
  std::shared_ptr<callbacks::ProgbarLogger> progbar;
  for (const auto& callback : user) {
    if (auto given = std::dynamic_pointer_cast<callbacks::ProgbarLogger>(callback)) progbar = given;
  }
  if (!progbar && verbose != 0) {
    progbar = std::make_shared<callbacks::ProgbarLogger>();
    list.push_back(progbar);
  }
  if (progbar) progbar->set_params(epochs, steps, verbose);
  for (const auto& callback : list) callback->set_model(&model_);
  return list;
}

const std::vector<std::shared_ptr<metrics::Metric>>& Trainer::compiled_metrics(
    const Tensor& y, const Tensor& y_pred) {
  if (model_.metrics_.size() != model_.metric_args_.size()) {
    model_.metrics_.clear();
    for (const auto& arg : model_.metric_args_) {
      model_.metrics_.push_back(
          arg.metric() ? arg.metric()
                       : std::shared_ptr<metrics::Metric>(metrics::get(
                             arg.identifier(), Shape::of(y.shape()), Shape::of(y_pred.shape()))));
    }
  }
  return model_.metrics_;
}

void Trainer::update_metrics(double loss, const Tensor& y, const Tensor& y_pred) {
  loss_tracker_.update_state(loss, static_cast<double>(y_pred.dim(0)));
  for (const auto& metric : compiled_metrics(y, y_pred)) metric->update_state(y, y_pred);
}

void Trainer::reset_metrics() {
  loss_tracker_.reset_state();
  for (const auto& metric : model_.metrics_) metric->reset_state();
}

callbacks::Logs Trainer::metrics_logs() const {
  callbacks::Logs logs;
  logs["loss"] = loss_tracker_.result();
  for (const auto& metric : model_.metrics_) logs[metric->name()] = metric->result();
  return logs;
}

void Trainer::train_step(const Tensor& x, const Tensor& y) {
  const Tensor y_pred = model_.call(x, /*training=*/true);
  auto [loss, gradient] = model_.loss().value_and_gradient(y, y_pred);
  model_.backward_weights(gradient);
  model_.optimizer().apply(trainable_);
  update_metrics(loss, y, y_pred);
}

void Trainer::test_step(const Tensor& x, const Tensor& y) {
  const Tensor y_pred = model_.call(x, /*training=*/false);
  update_metrics(model_.loss()(y, y_pred), y, y_pred);
}

callbacks::Logs Trainer::run_test_loop(const TrainingData& data, std::int64_t batch_size,
                                       const CallbackList& callbacks) {
  reset_metrics();
  const std::int64_t steps = steps_for(data.size(), batch_size);
  for (std::int64_t step = 0; step < steps; ++step) {
    const auto batch = static_cast<int>(step);
    for (const auto& callback : callbacks) callback->on_test_batch_begin(batch, {});
    const std::int64_t start = step * batch_size;
    const std::int64_t stop = std::min(data.size(), start + batch_size);
    test_step(data.x.slice(start, stop), data.y.slice(start, stop));
    const auto logs = metrics_logs();
    for (const auto& callback : callbacks) callback->on_test_batch_end(batch, logs);
  }
  return metrics_logs();
}

callbacks::History Trainer::fit(const Tensor& x, const Tensor& y, const FitOptions& options) {
  require_compiled("fit");
  check_batch_size(options.batch_size);
  if (options.epochs < 0 || options.initial_epoch < 0) {
    throw ValueError(fmt::format(
        "`epochs` and `initial_epoch` must be non-negative integers. Received: epochs={}, "
        "initial_epoch={}",
        options.epochs, options.initial_epoch));
  }
  TrainingData train = prepare_data(x, y, "fit");
  std::optional<TrainingData> validation;
  if (options.validation_data) {
    validation =
        prepare_data(options.validation_data->first, options.validation_data->second, "fit");
  } else if (options.validation_split != 0.0) {
    std::tie(train, validation) = split_validation(train, options.validation_split);
  }
  check_targets(train);
  if (validation) check_targets(*validation);

  trainable_ = model_.trainable_weights();
  const std::int64_t steps = steps_for(train.size(), options.batch_size);
  const int verbose = resolve_verbose(options.verbose);
  callbacks::History history;
  history.set_params({{"verbose", verbose}, {"epochs", options.epochs}, {"steps", steps}});
  const auto callbacks = callback_list(options.callbacks, &history, verbose, options.epochs, steps);

  model_.set_stop_training(false);
  const std::uint64_t fit_seed = detail::next_seed();
  callbacks::Logs epoch_logs;
  for (const auto& callback : callbacks) callback->on_train_begin({});
  for (int epoch = options.initial_epoch; epoch < options.epochs; ++epoch) {
    reset_metrics();
    for (const auto& callback : callbacks) callback->on_epoch_begin(epoch, {});
    const auto order = epoch_order(train.size(), options.shuffle, epoch_seed(fit_seed, epoch));
    for (std::int64_t step = 0; step < steps; ++step) {
      const auto batch = static_cast<int>(step);
      for (const auto& callback : callbacks) callback->on_train_batch_begin(batch, {});
      const std::int64_t start = step * options.batch_size;
      const std::int64_t stop = std::min(train.size(), start + options.batch_size);
      train_step(take_rows(train.x, order, start, stop), take_rows(train.y, order, start, stop));
      const auto logs = metrics_logs();
      for (const auto& callback : callbacks) callback->on_train_batch_end(batch, logs);
      if (model_.stop_training()) break;
    }
    epoch_logs = metrics_logs();
    if (validation) {
      // The callbacks see the validation's test hooks, as in Keras; the progress bar stays
      // silent inside fit.
      for (const auto& callback : callbacks) callback->on_test_begin({});
      const auto validation_logs = run_test_loop(*validation, options.batch_size, callbacks);
      for (const auto& callback : callbacks) callback->on_test_end(validation_logs);
      for (const auto& [name, value] : validation_logs) {
        epoch_logs["val_" + name] = value;
      }
    }
    for (const auto& callback : callbacks) callback->on_epoch_end(epoch, epoch_logs);
    if (model_.stop_training()) break;
  }
  for (const auto& callback : callbacks) callback->on_train_end(epoch_logs);
  return history;
}

callbacks::Logs Trainer::evaluate(const Tensor& x, const Tensor& y,
                                  const EvaluateOptions& options) {
  require_compiled("evaluate");
  check_batch_size(options.batch_size);
  const TrainingData data = prepare_data(x, y, "evaluate");
  check_targets(data);
  const std::int64_t steps = steps_for(data.size(), options.batch_size);
  const auto callbacks =
      callback_list(options.callbacks, nullptr, resolve_verbose(options.verbose), 1, steps);
  for (const auto& callback : callbacks) callback->on_test_begin({});
  auto logs = run_test_loop(data, options.batch_size, callbacks);
  for (const auto& callback : callbacks) callback->on_test_end(logs);
  return logs;
}

callbacks::Logs Trainer::train_on_batch(const Tensor& x, const Tensor& y) {
  require_compiled("train_on_batch");
  const TrainingData data = prepare_data(x, y, "train_on_batch");
  check_targets(data);
  trainable_ = model_.trainable_weights();
  reset_metrics();
  train_step(data.x, data.y);
  return metrics_logs();
}

callbacks::Logs Trainer::test_on_batch(const Tensor& x, const Tensor& y) {
  require_compiled("test_on_batch");
  const TrainingData data = prepare_data(x, y, "test_on_batch");
  check_targets(data);
  reset_metrics();
  test_step(data.x, data.y);
  return metrics_logs();
}

}  // namespace keras::training
