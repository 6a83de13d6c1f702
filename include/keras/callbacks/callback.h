// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>

namespace keras {
class Sequential;
}

namespace keras::callbacks {

/// The figures of a batch or an epoch by name ("loss", "accuracy", "val_loss", ...), in
/// Keras's sorted order.
using Logs = std::map<std::string, double>;

/// The hooks fit, evaluate and predict call (Keras's `keras.callbacks.Callback`): override the
/// ones you need. `model()` is the model being trained; a callback may read and set its
/// weights, its optimizer's learning rate, and stop training with `set_stop_training(true)`.
/// Epochs and batches count from 0.
///
/// Keras: https://keras.io/api/callbacks/base_callback/
class Callback {
 public:
  virtual ~Callback() = default;

  void set_model(Sequential* model) noexcept { model_ = model; }
  /// The model; throws ValueError when the callback is not attached to one.
  [[nodiscard]] Sequential& model() const;

  virtual void on_train_begin(const Logs& /*logs*/) {}
  virtual void on_train_end(const Logs& /*logs*/) {}
  virtual void on_epoch_begin(int /*epoch*/, const Logs& /*logs*/) {}
  /// `logs` holds the epoch's training and validation figures; a callback may add to them
  /// (ReduceLROnPlateau adds "learning_rate"), and later callbacks and History see that.
  virtual void on_epoch_end(int /*epoch*/, Logs& /*logs*/) {}
  virtual void on_train_batch_begin(int /*batch*/, const Logs& /*logs*/) {}
  virtual void on_train_batch_end(int /*batch*/, const Logs& /*logs*/) {}
  virtual void on_test_begin(const Logs& /*logs*/) {}
  virtual void on_test_end(const Logs& /*logs*/) {}
  virtual void on_test_batch_begin(int /*batch*/, const Logs& /*logs*/) {}
  virtual void on_test_batch_end(int /*batch*/, const Logs& /*logs*/) {}
  virtual void on_predict_begin(const Logs& /*logs*/) {}
  virtual void on_predict_end(const Logs& /*logs*/) {}
  virtual void on_predict_batch_begin(int /*batch*/, const Logs& /*logs*/) {}
  virtual void on_predict_batch_end(int /*batch*/, const Logs& /*logs*/) {}

 private:
  Sequential* model_ = nullptr;
};

}  // namespace keras::callbacks
