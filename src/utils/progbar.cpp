// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/progbar.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

// Follows keras/src/utils/progbar.py (Keras 3) line by line; the comments name its quirks.

namespace keras::utils {
namespace {

const std::string bold = "\x1b[1m";
const std::string reset = "\x1b[0m";
const std::string green = "\x1b[32m";
const std::string white = "\x1b[37m";
// The escapes Python's `special_char_len` subtracts: bold + reset, colour + reset.
constexpr std::size_t bold_length = 8;
constexpr std::size_t colour_length = 9;

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Python's len(): code points, not UTF-8 bytes ("━" is one).
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string repeat(std::string_view piece, std::int64_t times) {
  std::string text;
  for (std::int64_t i = 0; i < times; ++i) text += piece;
  return text;
}

// Python's `%{digits}d/%d` with digits = int(log10(target)) + 1.
std::string count_text(std::int64_t current, std::int64_t target) {
  const int digits = static_cast<int>(std::log10(static_cast<double>(target))) + 1;
  return fmt::format("{:>{}}/{}", current, digits, target);
}

// `{avg:.4f}` when `abs(avg) > 1e-3` (verbose 1) or `avg > 1e-3` (verbose 2, where Keras
// forgot the abs), else `{avg:.4e}`; Python prints every NaN as "nan".
std::string format_average(double average, bool compare_magnitude) {
  if (std::isnan(average)) return "nan";
  const double compared = compare_magnitude ? std::abs(average) : average;
  return compared > 1e-3 ? fmt::format("{:.4f}", average) : fmt::format("{:.4e}", average);
}

// Python's `"%d" % eta`: truncation towards zero.
long long truncated(double value) { return static_cast<long long>(value); }

std::string format_eta(double eta) {
  if (eta > 3600) {
    return fmt::format("{}:{:02}:{:02}", truncated(std::floor(eta / 3600)),
                       truncated(std::floor(std::fmod(eta, 3600) / 60)),
                       truncated(std::fmod(eta, 60)));
  }
  if (eta > 60) {
    return fmt::format("{}:{:02}", truncated(std::floor(eta / 60)), truncated(std::fmod(eta, 60)));
  }
  return fmt::format("{}s", truncated(eta));
}

}  // namespace

Progbar::Progbar(std::optional<std::int64_t> target, ProgbarOptions options)
    : target_(target),
      options_(std::move(options)),
      stateful_(options_.stateful_metrics.begin(), options_.stateful_metrics.end()) {
  if (!options_.clock) options_.clock = steady_seconds;
  start_ = options_.clock();
}

void Progbar::update(std::int64_t current, const ProgbarValues& values,
                     std::optional<bool> finalize) {
  const bool final_update = finalize.value_or(target_ && current >= *target_);
  record(current, values, final_update);
  seen_so_far_ = current;

  const double now = options_.clock();
  const double time_per_unit = estimate_step_duration(current, now);
  if (options_.verbose == 1) {
    if (last_update_ && now - *last_update_ < options_.interval && !final_update) return;
    draw(current, final_update, now, time_per_unit);
  } else if (options_.verbose == 2 && final_update && target_ && *target_ > 0) {
    draw_summary(current, now, time_per_unit);
  }
  last_update_ = now;
}

void Progbar::add(std::int64_t n, const ProgbarValues& values) { update(seen_so_far_ + n, values); }

void Progbar::record(std::int64_t current, const ProgbarValues& values, bool finalize) {
  for (const auto& [name, value] : values) {
    if (std::find(values_order_.begin(), values_order_.end(), name) == values_order_.end()) {
      values_order_.push_back(name);
    }
    // The final update (and any stateful value) replaces the average: when the target was
    // unknown, the batch end and the epoch end report the same step, and a weight of
    // `current - seen` would be 0.
    if (stateful_.contains(name) || finalize) {
      values_[name] = {value, 1.0};
      continue;
    }
    const auto weight = static_cast<double>(std::max<std::int64_t>(current - seen_so_far_, 1));
    Average& average = values_[name];
    average.sum += value * weight;
    average.count += weight;
  }
}

void Progbar::draw(std::int64_t current, bool finalize, double now, double time_per_unit) {
  const auto [bar, bar_escapes] = bar_text(current);
  std::string info;
  if (target_ && *target_ > 0 && !finalize) {
    const double eta = time_per_unit * static_cast<double>(*target_ - current);
    info = " " + bold + format_eta(eta) + reset;
  } else {
    info = " " + bold + fmt::format("{:.0f}s", now - start_) + reset;
  }
  info += format_time(time_per_unit) + values_text(true);

  // Redraw over the previous line, blanking what the new one no longer covers.
  std::string message =
      options_.dynamic_display ? std::string(prev_total_width_, '\b') + "\r" : std::string("\n");
  message += bar + info;
  const std::size_t total_width = code_points(bar) + code_points(info) - bar_escapes - bold_length;
  if (prev_total_width_ > total_width) message += std::string(prev_total_width_ - total_width, ' ');
  if (finalize) message += "\n";
  write(message);
  prev_total_width_ = total_width;
}

std::pair<std::string, std::size_t> Progbar::bar_text(std::int64_t current) const {
  if (!target_ || *target_ <= 0) return {fmt::format("{:>7}/Unknown", current), 0};
  std::string bar = bold + count_text(current, *target_) + reset + " ";
  std::size_t escapes = bold_length;
  const double progress = static_cast<double>(current) / static_cast<double>(*target_);
  const auto done = static_cast<std::int64_t>(options_.width * progress);
  if (done > 0) {
    bar += green + repeat("━", done) + reset;
    escapes += colour_length;
  }
  bar += white + repeat("━", options_.width - done) + reset;
  escapes += colour_length;
  return {bar, escapes};
}

std::string Progbar::values_text(bool compare_magnitude) const {
  std::string text;
  for (const std::string& name : values_order_) {
    const Average& average = values_.at(name);
    text +=
        fmt::format(" - {}: {}", name,
                    format_average(average.sum / std::max(1.0, average.count), compare_magnitude));
  }
  return text;
}

void Progbar::draw_summary(std::int64_t current, double now, double time_per_unit) {
  write(fmt::format("{} - {:.0f}s -{}{}\n", count_text(current, *target_), now - start_,
                    format_time(time_per_unit), values_text(false)));
}

std::string Progbar::format_time(double time_per_unit) const {
  if (time_per_unit >= 1 || time_per_unit == 0) {
    return fmt::format(" {:.0f}s/{}", time_per_unit, options_.unit_name);
  }
  if (time_per_unit >= 1e-3) {
    return fmt::format(" {:.0f}ms/{}", time_per_unit * 1000.0, options_.unit_name);
  }
  return fmt::format(" {:.0f}us/{}", time_per_unit * 1000000.0, options_.unit_name);
}

// The first step (graph building, warm-up) is not representative: once a later step is
// seen, the estimate runs from the end of step 1. Keras falls back to the plain average
// when step 1 was never reported or is reported again.
double Progbar::estimate_step_duration(std::int64_t current, double now) {
  if (current == 0) return 0.0;
  const double time_per_unit =
      time_after_first_step_ && current > 1
          ? (now - *time_after_first_step_) / static_cast<double>(current - 1)
          : (now - start_) / static_cast<double>(current);
  if (current == 1) time_after_first_step_ = now;
  return time_per_unit;
}

void Progbar::write(std::string_view text) const {
  if (options_.write) {
    options_.write(text);
    return;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace keras::utils
