// SPDX-License-Identifier: Apache-2.0
#include "keras/callbacks/csv_logger.h"

#include "callbacks/python_format.h"
#include "detail/python_repr.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <utility>

// Follows keras/src/callbacks/csv_logger.py (Keras 3) and Python's csv.excel dialect.

namespace keras::callbacks {
namespace {

// Python's OSError text, e.g. "[Errno 2] No such file or directory: 'logs/run.csv'".
FileError os_error(const std::string& filename, int error) {
  return FileError(filename,
                   fmt::format("[Errno {}] {}: '{}'", error, std::strerror(error), filename));
}

// csv.QUOTE_MINIMAL: quote a field holding the separator, a quote or a line break, doubling
// its quotes.
std::string csv_field(const std::string& field, char separator) {
  if (field.find_first_of(std::string{separator, '"', '\r', '\n'}) == std::string::npos) {
    return field;
  }
  std::string quoted = "\"";
  for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

void CSVLogger::FileCloser::operator()(std::FILE* file) const noexcept { std::fclose(file); }

CSVLogger::CSVLogger(CSVLoggerOptions options) : options_(std::move(options)) {}

CSVLogger::~CSVLogger() = default;

void CSVLogger::on_train_begin(const Logs& /*logs*/) { open(); }

void CSVLogger::open() {
  if (options_.append) {
    // An existing file gets no second header, unless it is empty.
    if (std::FILE* existing = std::fopen(options_.filename.c_str(), "r")) {
      append_header_ = std::fgetc(existing) == EOF;
      std::fclose(existing);
    }
  }
  file_.reset();
  file_.reset(std::fopen(options_.filename.c_str(), options_.append ? "a" : "w"));
  if (!file_) throw os_error(options_.filename, errno);
  writer_ready_ = false;
  keys_.reset();
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
  if (!file_) open();  // Keras needs on_train_begin first; opening here costs nothing
  if (!keys_) {
    keys_.emplace();
    for (const auto& [name, value] : logs) keys_->push_back(name);  // sorted: Logs is a map
  }
  if (!writer_ready_) {
    writer_ready_ = true;
    if (append_header_) {
      std::vector<std::string> header{"epoch"};
      header.insert(header.end(), keys_->begin(), keys_->end());
      write_row(header);
    }
  }
  std::vector<std::string> row{std::to_string(epoch)};
  for (const std::string& key : *keys_) {
    const auto found = logs.find(key);
    row.push_back(found == logs.end() ? "NA" : keras::detail::python_float(found->second));
  }
  write_row(row);
  if (std::fflush(file_.get()) != 0) throw os_error(options_.filename, errno);
}

void CSVLogger::on_train_end(const Logs& /*logs*/) {
  file_.reset();
  writer_ready_ = false;
}

void CSVLogger::write_row(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += options_.separator;
    line += csv_field(fields[i], options_.separator);
  }
  line += "\r\n";  // the excel dialect's line terminator
  if (std::fwrite(line.data(), 1, line.size(), file_.get()) != line.size()) {
    throw os_error(options_.filename, errno);
  }
}

}  // namespace keras::callbacks
