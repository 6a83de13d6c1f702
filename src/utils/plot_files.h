// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace keras::detail {

/// `text` with &, <, > and " escaped, for SVG text and Graphviz's HTML-like labels (layer and
/// figure names may hold any character but '/').
[[nodiscard]] std::string escape_markup(std::string_view text);

/// Throws FileError when the folder `path` would be written into does not exist, so that the
/// message names the user's path rather than a temporary beside it.
void check_output_folder(const std::string& path);

/// Writes `text` to `path` through a temporary beside it, renamed at the end; throws FileError.
void write_file_atomically(const std::string& path, const std::string& text);

/// Runs Graphviz's `dot -T<format>` (no shell) on `dot_text` and writes its output to `path`
/// atomically. Throws Error when `dot` is not installed or fails, with what it printed.
void render_with_graphviz(const std::string& dot_text, const std::string& format,
                          const std::string& path);

}  // namespace keras::detail
