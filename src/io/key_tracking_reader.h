// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/json.h"

#include <fmt/format.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>

namespace keras::io {

/// A config object read key by key, remembering the keys asked for, so that the readers of
/// layer, loss and optimizer configs can name every key nobody read (Python's unexpected
/// keyword arguments), each in its own words.
class KeyTrackingReader {
 public:
  explicit KeyTrackingReader(const Json& config) : config_(config) {}

  /// The value of `key`, or nullptr when it is absent; `key` counts as read either way.
  [[nodiscard]] const Json* find(std::string_view key) {
    used_.emplace(key);
    const auto entry = config_.find(key);
    return entry == config_.end() ? nullptr : &*entry;
  }
  /// The keys never asked for, in config order, as Python prints a dict's items:
  /// `'key': value, 'other': value`; empty when every key was read.
  [[nodiscard]] std::string unread_keys() const {
    std::string unread;
    for (const auto& [key, value] : config_.items()) {
      if (used_.contains(key)) continue;
      unread += fmt::format("{}'{}': {}", unread.empty() ? "" : ", ", key, value.dump());
    }
    return unread;
  }

 private:
  const Json& config_;
  std::set<std::string, std::less<>> used_;
};

}  // namespace keras::io
