// SPDX-License-Identifier: Apache-2.0
#include "detail/summary_table.h"

#include "keras/error.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace keras::detail {
namespace {

constexpr int column_count = 3;
using Widths = std::array<int, column_count>;

enum class Justify { left, right };

// Python's shutil.get_terminal_size: $COLUMNS, then the terminal on stdout, then 80.
int terminal_columns() {
  if (const char* columns = std::getenv("COLUMNS")) {
    const int value = std::atoi(columns);
    if (value > 0) return value;
  }
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Width on screen: one cell per UTF-8 code point.
int cell_length(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// The first `cells` code points of `text`.
std::string_view cell_prefix(std::string_view text, int cells) {
  std::size_t end = 0;
  for (int seen = 0; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && seen++ == cells) break;
  }
  return text.substr(0, end);
}

// Python's round(): halves go to the even neighbour.
int round_half_even(double value) { return static_cast<int>(std::nearbyint(value)); }

// Keras asks rich for `int(p * L)` column positions; rich adds one cell of padding on each
// side and, as the columns no longer fit in L, takes the excess back evenly from left to
// right (rich's ratio_reduce). The result is each cell's width with its padding.
Widths cell_widths(int line_length) {
  constexpr std::array positions{0.45, 0.80, 1.0};
  Widths widths{};
  int current = 0;
  for (int i = 0; i < column_count; ++i) {
    const int width =
        static_cast<int>(positions[static_cast<std::size_t>(i)] * line_length) - current;
    if (width < 4) throw ValueError("Insufficient console width to print summary.");
    widths[static_cast<std::size_t>(i)] = width + 2;
    current += width;
  }
  const int available = line_length - (column_count + 1);
  int excess = std::max(0, current + 2 * column_count - available);
  for (int i = 0, remaining = column_count; i < column_count; ++i, --remaining) {
    const int taken = round_half_even(static_cast<double>(excess) / remaining);
    widths[static_cast<std::size_t>(i)] -= taken;
    excess -= taken;
  }
  return widths;
}

// rich's word wrap: break before a word that would overflow, cut a word longer than the
// line with an ellipsis.
std::vector<std::string> wrap(std::string_view text, int width) {
  std::vector<std::string> lines(1);
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t word_start = text.find_first_not_of(' ', position);
    if (word_start == std::string_view::npos) break;
    std::size_t word_end = text.find(' ', word_start);
    if (word_end == std::string_view::npos) word_end = text.size();
    const std::string_view word = text.substr(word_start, word_end - word_start);
    std::string& line = lines.back();
    const std::string_view gap = text.substr(position, word_start - position);
    if (!line.empty() && cell_length(line) + cell_length(gap) + cell_length(word) > width) {
      lines.emplace_back(word);
    } else {
      line += std::string(line.empty() ? "" : gap) + std::string(word);
    }
    position = word_end;
  }
  for (std::string& line : lines) {
    if (cell_length(line) > width) line = std::string(cell_prefix(line, width - 1)) + "…";
  }
  return lines;
}

std::string pad(std::string_view text, int width, Justify justify) {
  const auto fill =
      std::string(static_cast<std::size_t>(std::max(0, width - cell_length(text))), ' ');
  return justify == Justify::left ? std::string(text) + fill : fill + std::string(text);
}

std::string repeat(std::string_view piece, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += piece;
  return text;
}

struct BoxRow {
  std::string_view left, fill, joint, right;
};

std::string border(const BoxRow& box, const Widths& widths) {
  std::string line(box.left);
  for (int i = 0; i < column_count; ++i) {
    line += repeat(box.fill, widths[static_cast<std::size_t>(i)]);
    line += i + 1 < column_count ? box.joint : box.right;
  }
  return line + '\n';
}

std::string cells(const std::array<std::string, column_count>& texts, const Widths& widths,
                  std::string_view wall) {
  constexpr std::array justify{Justify::left, Justify::left, Justify::right};
  std::array<std::vector<std::string>, column_count> wrapped;
  std::size_t height = 1;
  for (std::size_t i = 0; i < column_count; ++i) {
    wrapped[i] = wrap(texts[i], widths[i] - 2);
    height = std::max(height, wrapped[i].size());
  }
  std::string text;
  for (std::size_t row = 0; row < height; ++row) {
    text += wall;
    for (std::size_t i = 0; i < column_count; ++i) {
      const std::string piece = row < wrapped[i].size() ? wrapped[i][row] : "";
      text += ' ' + pad(piece, widths[i] - 2, justify[i]) + ' ';
      text += wall;
    }
    text += '\n';
  }
  return text;
}

}  // namespace

std::string format_summary_shape(const Shape& shape) {
  std::string text = "(";
  for (int axis = 0; axis < shape.rank(); ++axis) {
    if (axis > 0) text += ", ";
    text += shape[axis] ? std::to_string(*shape[axis]) : "None";
  }
  return text + ')';
}

std::string with_thousands_separators(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return value < 0 ? "-" + digits : digits;
}

std::string readable_memory_size(std::int64_t bytes) {
  constexpr std::array units{"B", "KB", "MB", "GB", "TB", "PB"};
  auto size = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (size / 1024 >= 1 && unit + 1 < units.size()) {
    size /= 1024;
    ++unit;
  }
  return fmt::format("{:.2f} {}", size, units[unit]);
}

std::string format_summary(const SummaryData& data, int line_length) {
  if (line_length <= 0) line_length = std::min(88, terminal_columns() - 4);
  const Widths widths = cell_widths(line_length);

  std::string text = fmt::format("Model: \"{}\"\n\n", data.model_name);
  text += border({"┏", "━", "┳", "┓"}, widths);
  text += cells({"Layer (type)", "Output Shape", "Param #"}, widths, "┃");
  text += border({"┡", "━", "╇", "┩"}, widths);
  for (std::size_t i = 0; i < data.rows.size(); ++i) {
    if (i > 0) text += border({"├", "─", "┼", "┤"}, widths);
    const SummaryRow& row = data.rows[i];
    text += cells({row.layer, row.output_shape, row.params}, widths, "│");
  }
  text += border({"└", "─", "┴", "┘"}, widths);

  const auto footer = [](std::string_view label, std::int64_t count, std::int64_t bytes) {
    return fmt::format(" {}: {} ({})\n", label, with_thousands_separators(count),
                       readable_memory_size(bytes));
  };
  const std::int64_t optimizer_count = data.optimizer_count.value_or(0);
  text += footer("Total params", data.trainable_count + data.non_trainable_count + optimizer_count,
                 data.trainable_bytes + data.non_trainable_bytes + data.optimizer_bytes);
  text += footer("Trainable params", data.trainable_count, data.trainable_bytes);
  text += footer("Non-trainable params", data.non_trainable_count, data.non_trainable_bytes);
  if (data.optimizer_count) {
    text += footer("Optimizer params", optimizer_count, data.optimizer_bytes);
  }
  return text;
}

}  // namespace keras::detail
