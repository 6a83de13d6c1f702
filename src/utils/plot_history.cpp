// SPDX-License-Identifier: Apache-2.0
#include "keras/utils/plot_history.h"

#include "keras/error.h"
#include "utils/plot_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

namespace keras::utils {
namespace {

// Panel geometry in SVG pixels: the plot area sits inside these margins.
constexpr double panel_width = 460, panel_height = 340;
constexpr double margin_left = 80, margin_right = 24, margin_top = 60, margin_bottom = 48;
constexpr int panels_per_row = 2;
// matplotlib's first two colours, which readers know from Keras tutorials' history plots.
constexpr std::string_view train_colour = "#1f77b4", validation_colour = "#ff7f0e";

struct Series {
  std::string name;  // "loss" or "val_loss"
  const std::vector<double>* values;
};

// One panel: a figure and its validation twin.
struct Family {
  std::string name;
  std::vector<Series> series;
};

// "loss" first, as Keras prints it, then the other figures alphabetically; "val_x" joins "x".
std::vector<Family> families_of(const callbacks::History& history) {
  std::vector<Family> families;
  for (const auto& [name, values] : history.history()) {
    const bool validation = name.starts_with("val_");
    const std::string base = validation ? name.substr(4) : name;
    auto family = std::find_if(families.begin(), families.end(),
                               [&](const Family& f) { return f.name == base; });
    if (family == families.end()) family = families.insert(families.end(), {base, {}});
    family->series.insert(validation ? family->series.end() : family->series.begin(),
                          {name, &values});
  }
  std::stable_partition(families.begin(), families.end(),
                        [](const Family& f) { return f.name == "loss"; });
  return families;
}

// A range rounded out to a "nice" step (1, 2 or 5 times a power of ten), about `ticks` steps.
struct Axis {
  double low, high, step;
};

Axis nice_axis(double low, double high, int ticks, bool whole_steps) {
  // One value, or values a few ulps apart (a step below their resolution would never
  // advance): give the line room.
  if (!(high - low > 1e-9 * std::max(std::abs(low), std::abs(high)))) {
    const double pad = low == 0 ? 1.0 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw = (high - low) / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double ratio = raw / magnitude;
  double step = magnitude * (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10);
  if (whole_steps) step = std::max(1.0, std::round(step));
  return {std::floor(low / step) * step, std::ceil(high / step) * step, step};
}

std::string tick_text(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::abs(value) < step * 1e-6) value = 0;  // no "-0.00"
  return fmt::format("{:.{}f}", value, decimals);
}

// Where a panel is and how it maps epochs and values to pixels.
struct Panel {
  double left, top, right, bottom;
  Axis x, y;
  [[nodiscard]] double px(double epoch) const {
    return left + (epoch - x.low) / (x.high - x.low) * (right - left);
  }
  [[nodiscard]] double py(double value) const {
    return bottom - (value - y.low) / (y.high - y.low) * (bottom - top);
  }
};

double epoch_number(const callbacks::History& history, std::size_t index) {
  const auto& epochs = history.epoch();
  return static_cast<double>(index < epochs.size() ? epochs[index] + 1
                                                   : static_cast<int>(index) + 1);
}

Panel make_panel(const callbacks::History& history, const Family& family, double origin_x,
                 double origin_y) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  std::size_t epochs = 0;
  for (const Series& series : family.series) {
    epochs = std::max(epochs, series.values->size());
    for (const double value : *series.values) {
      if (std::isfinite(value)) {
        low = std::min(low, value);
        high = std::max(high, value);
      }
    }
  }
  if (!std::isfinite(low)) {  // nothing finite to draw
    low = 0;
    high = 1;
  }
  epochs = std::max<std::size_t>(epochs, 1);
  const double first = epoch_number(history, 0), last = epoch_number(history, epochs - 1);
  Axis x = nice_axis(first, last, 6, true);
  if (last > first) {  // the epochs fill the width
    x.low = first;
    x.high = last;
  }
  return {origin_x + margin_left,
          origin_y + margin_top,
          origin_x + panel_width - margin_right,
          origin_y + panel_height - margin_bottom,
          x,
          nice_axis(low, high, 5, false)};
}

// Text is 12 px Helvetica: about 7 px per character, enough to keep labels apart.
constexpr double char_width = 7;

// Horizontal grid lines with their values; returns the widest value's width in pixels.
double draw_value_ticks(std::string& svg, const Panel& panel) {
  double widest = 0;
  const auto ticks = std::llround((panel.y.high - panel.y.low) / panel.y.step);
  for (long long tick = 0; tick <= ticks; ++tick) {
    const double value = panel.y.low + static_cast<double>(tick) * panel.y.step;
    const double y = panel.py(value);
    const std::string text = tick_text(value, panel.y.step);
    widest = std::max(widest, char_width * static_cast<double>(text.size()));
    svg += fmt::format(
        R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#e0e0e0"/>)"
        R"(<text x="{3:.1f}" y="{4:.1f}" text-anchor="end">{5}</text>)"
        "\n",
        panel.left, y, panel.right, panel.left - 6, y + 4, text);
  }
  return widest;
}

void draw_epoch_ticks(std::string& svg, const Panel& panel) {
  const double first_tick = std::ceil(panel.x.low / panel.x.step) * panel.x.step;
  const auto ticks = std::llround(std::floor((panel.x.high + 1e-9 - first_tick) / panel.x.step));
  for (long long tick = 0; tick <= ticks; ++tick) {
    const double epoch = first_tick + static_cast<double>(tick) * panel.x.step;
    const double x = panel.px(epoch);
    svg += fmt::format(
        R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#000000"/>)"
        R"(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4}</text>)"
        "\n",
        x, panel.bottom, panel.bottom + 5, panel.bottom + 18, tick_text(epoch, 1));
  }
}

// Title, ticks, frame and axis labels; the value label keeps clear of the widest tick.
void draw_axes(std::string& svg, const Panel& panel, const std::string& name) {
  const std::string label = detail::escape_markup(name);
  svg += fmt::format(
      R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="14" font-weight="bold">{}</text>)"
      "\n",
      (panel.left + panel.right) / 2, panel.top - 34, label);
  const double widest = draw_value_ticks(svg, panel);
  draw_epoch_ticks(svg, panel);
  const double label_x = std::max(panel.left - margin_left + 14, panel.left - widest - 18);
  svg += fmt::format(
      R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="none" stroke="#000000"/>)"
      "\n"
      R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">Epoch</text>)"
      "\n"
      R"svg(<text transform="translate({:.1f},{:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg"
      "\n",
      panel.left, panel.top, panel.right - panel.left, panel.bottom - panel.top,
      (panel.left + panel.right) / 2, panel.bottom + 36, label_x, (panel.top + panel.bottom) / 2,
      label);
}

// A line through the finite values (a NaN or infinite loss breaks it), a dot at each.
void draw_series(std::string& svg, const Panel& panel, const callbacks::History& history,
                 const Series& series, std::string_view colour) {
  std::string path, dots;
  bool pen_down = false;
  for (std::size_t index = 0; index < series.values->size(); ++index) {
    const double value = (*series.values)[index];
    if (!std::isfinite(value)) {
      pen_down = false;
      continue;
    }
    const double x = panel.px(epoch_number(history, index)), y = panel.py(value);
    path += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", x, y);
    dots += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"/>)", x, y, colour);
    pen_down = true;
  }
  const bool validation = series.name.starts_with("val_");
  svg += fmt::format(R"(<g><title>{}</title><path d="{}" fill="none" stroke="{}" )"
                     R"(stroke-width="2"{}/>{}</g>)"
                     "\n",
                     detail::escape_markup(series.name), path, colour,
                     validation ? R"( stroke-dasharray="6,3")" : "", dots);
}

// One row between the title and the plot, so that it never hides a curve.
void draw_legend(std::string& svg, const Panel& panel, const Family& family) {
  constexpr double sample = 24, gap = 6, spacing = 20;
  double width = 0;
  for (const Series& series : family.series) {
    width += sample + gap + char_width * static_cast<double>(series.name.size()) + spacing;
  }
  double x = (panel.left + panel.right - width + spacing) / 2;
  const double y = panel.top - 14;
  for (const Series& series : family.series) {
    const bool validation = series.name.starts_with("val_");
    const std::string_view colour = validation ? validation_colour : train_colour;
    svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="{3}" )"
                       R"(stroke-width="2"{4}/><text x="{5:.1f}" y="{6:.1f}">{7}</text>)"
                       "\n",
                       x, y, x + sample, colour, validation ? R"( stroke-dasharray="6,3")" : "",
                       x + sample + gap, y + 4, detail::escape_markup(series.name));
    x += sample + gap + char_width * static_cast<double>(series.name.size()) + spacing;
  }
}

}  // namespace

void plot_history(const callbacks::History& history, const std::string& path) {
  const std::vector<Family> families = families_of(history);
  const bool empty = std::all_of(families.begin(), families.end(), [](const Family& family) {
    return std::all_of(family.series.begin(), family.series.end(),
                       [](const Series& series) { return series.values->empty(); });
  });
  if (empty) {
    throw ValueError(fmt::format(
        "Cannot plot the History to '{}': it holds no epochs (it fills in during fit())", path));
  }
  const int count = static_cast<int>(families.size());
  const int columns = std::min(count, panels_per_row);
  const int rows = (count + panels_per_row - 1) / panels_per_row;
  const double width = columns * panel_width, height = rows * panel_height;
  std::string svg = fmt::format(
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      "\n"
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(font-family="Helvetica, Arial, sans-serif" font-size="12">)"
      "\n"
      R"(<rect width="{0}" height="{1}" fill="#ffffff"/>)"
      "\n",
      width, height);
  for (int index = 0; index < count; ++index) {
    const Family& family = families[static_cast<std::size_t>(index)];
    const Panel panel = make_panel(history, family, (index % panels_per_row) * panel_width,
                                   (index / panels_per_row) * panel_height);
    draw_axes(svg, panel, family.name);
    for (const Series& series : family.series) {
      const bool validation = series.name.starts_with("val_");
      draw_series(svg, panel, history, series, validation ? validation_colour : train_colour);
    }
    draw_legend(svg, panel, family);
  }
  detail::write_file_atomically(path, svg + "</svg>\n");
}

}  // namespace keras::utils
