// SPDX-License-Identifier: Apache-2.0
#include "detail/naming.h"

#include <cctype>
#include <map>
#include <mutex>

namespace keras::detail {
namespace {

bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

struct NameCounters {
  std::mutex mutex;
  std::map<std::string, int, std::less<>> next_suffix;
};

NameCounters& name_counters() {
  static NameCounters counters;
  return counters;
}

}  // namespace

std::string to_snake_case(std::string_view class_name) {
  std::string word;
  for (const char c : class_name) {
    if (is_word(c)) word += c;
  }
  // Keras applies two regexes in turn: `(.)([A-Z][a-z]+)` -> `\1_\2`, which puts an
  // underscore before each capitalised word, then `([a-z])([A-Z])` -> `\1_\2`.
  std::string first;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (i > 0 && is_upper(word[i]) && i + 1 < word.size() && is_lower(word[i + 1])) first += '_';
    first += word[i];
  }
  std::string second;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (i > 0 && is_lower(first[i - 1]) && is_upper(first[i])) second += '_';
    second += first[i];
  }
  for (char& c : second) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return second;
}

std::string unique_object_name(std::string_view prefix) {
  auto& counters = name_counters();
  std::lock_guard lock(counters.mutex);
  auto [entry, inserted] = counters.next_suffix.try_emplace(std::string(prefix), 0);
  const int suffix = entry->second++;
  return suffix == 0 ? std::string(prefix) : std::string(prefix) + "_" + std::to_string(suffix);
}

void reset_object_names() {
  auto& counters = name_counters();
  std::lock_guard lock(counters.mutex);
  counters.next_suffix.clear();
}

}  // namespace keras::detail
