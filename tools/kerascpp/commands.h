// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

namespace kerascpp {

// One function per subcommand: each adds its options and its callback to the app.
void add_summary_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_bench_command(CLI::App& app);

}  // namespace kerascpp
