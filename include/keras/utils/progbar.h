// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keras::utils {

/// (name, value of the last step) pairs, shown in this order (Python's `values` list).
using ProgbarValues = std::vector<std::pair<std::string, double>>;

/// Options of Progbar, named and defaulted as Keras's arguments, then kerascpp's hooks.
struct ProgbarOptions {
  int width = 20;          // characters of the bar
  int verbose = 1;         // 0 silent, 1 redrawn bar, 2 one line when finalized
  double interval = 0.05;  // seconds between redraws; the final update always draws
  std::vector<std::string> stateful_metrics;  // shown as given; the others are averaged
  std::string unit_name = "step";
  // Keras redraws in place on any POSIX Python (`"posix" in sys.modules`); false starts each
  // update on a new line instead.
  bool dynamic_display = true;
  std::function<double()> clock;                // seconds; empty: a steady clock
  std::function<void(std::string_view)> write;  // empty: standard output, flushed
};

/// Keras 3's progress bar (`keras.utils.Progbar`), character for character:
///
///     10/100 ━━━━━━━━━━━━━━━━━━━━ 1s 12ms/step - accuracy: 0.7600 - loss: 0.7600
///
/// with ANSI bold around the count and the time and green/white halves of the bar. The time
/// is the ETA until the last update, then the elapsed seconds. Values not listed in
/// `stateful_metrics` are averaged over the steps seen, each weighted by the steps since the
/// previous update; the final update shows the values it is given.
///
///     keras::utils::Progbar bar(100);
///     for (int step = 1; step <= 100; ++step) bar.update(step, {{"loss", loss}});
///
/// Keras: https://keras.io/api/utils/python_utils/#progbar-class
class Progbar {
 public:
  /// `target`: the number of steps, or nullopt when unknown (then `.../Unknown` is shown).
  explicit Progbar(std::optional<std::int64_t> target, ProgbarOptions options = {});

  /// Shows step `current` with the last step's `values`. `finalize` (default: `current >=
  /// target`) draws the final line, with the elapsed time and a line break.
  void update(std::int64_t current, const ProgbarValues& values = {},
              std::optional<bool> finalize = std::nullopt);
  /// update(steps seen + n, values).
  void add(std::int64_t n, const ProgbarValues& values = {});

  [[nodiscard]] std::optional<std::int64_t> target() const noexcept { return target_; }
  /// Sets the target once it is known (as ProgbarLogger does after an epoch of unknown size).
  void set_target(std::optional<std::int64_t> target) noexcept { target_ = target; }

 private:
  struct Average {
    double sum = 0.0;
    double count = 0.0;
  };

  void record(std::int64_t current, const ProgbarValues& values, bool finalize);
  [[nodiscard]] double estimate_step_duration(std::int64_t current, double now);
  void draw(std::int64_t current, bool finalize, double now, double time_per_unit);
  void draw_summary(std::int64_t current, double now, double time_per_unit);
  /// The count and the bar (or `.../Unknown`), and how many of its characters are escapes.
  [[nodiscard]] std::pair<std::string, std::size_t> bar_text(std::int64_t current) const;
  /// " - name: value" for each value, averaged.
  [[nodiscard]] std::string values_text(bool compare_magnitude) const;
  [[nodiscard]] std::string format_time(double time_per_unit) const;
  void write(std::string_view text) const;

  std::optional<std::int64_t> target_;
  ProgbarOptions options_;
  std::set<std::string, std::less<>> stateful_;
  std::int64_t seen_so_far_ = 0;
  std::map<std::string, Average, std::less<>> values_;
  std::vector<std::string> values_order_;
  double start_ = 0.0;
  // Keras starts from 0 on a wall clock, so its first update always draws; none yet here.
  std::optional<double> last_update_;
  std::optional<double> time_after_first_step_;
  std::size_t prev_total_width_ = 0;
};

}  // namespace keras::utils
