// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/callbacks/callback.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace keras::callbacks {

/// Options of CSVLogger, named and defaulted as Keras's arguments.
struct CSVLoggerOptions {
  std::string filename;
  char separator = ',';  // Python's csv takes one character
  bool append = false;   // true: add to an existing file (its header is not repeated)
};

/// Writes each epoch's logs to a CSV file (Keras's `CSVLogger`), as Python's csv module
/// writes them: a header `epoch,<names in sorted order>`, then one row per epoch with the
/// epoch (from 0) and each figure as Python prints a float ("NA" when an epoch lacks it),
/// lines ended by "\r\n", flushed after every epoch. The names are those of the first epoch.
///
///     model.fit(x, y, {.callbacks = {std::make_shared<CSVLogger>(
///         CSVLoggerOptions{.filename = "training.log"})}});
///
/// Throws FileError, worded as Python's OSError, when the file cannot be opened or written.
///
/// Keras: https://keras.io/api/callbacks/csv_logger/
class CSVLogger final : public Callback {
 public:
  explicit CSVLogger(CSVLoggerOptions options);
  ~CSVLogger() override;

  [[nodiscard]] const CSVLoggerOptions& options() const noexcept { return options_; }

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(const Logs& logs) override;

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const noexcept;
  };

  void open();
  void write_row(const std::vector<std::string>& fields);

  CSVLoggerOptions options_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::optional<std::vector<std::string>> keys_;
  bool writer_ready_ = false;  // Python's `self.writer`: the header is written when made
  bool append_header_ = true;
};

}  // namespace keras::callbacks
