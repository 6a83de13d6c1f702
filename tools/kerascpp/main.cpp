// SPDX-License-Identifier: Apache-2.0
// kerascpp: inspect, run and convert Keras models from the command line.
#include "commands.h"

#include <iostream>
#include <keras/error.h>

int main(int argc, char** argv) {
  CLI::App app{"kerascpp: Keras models in C++ — summary, predict, convert, plot, fit, bench",
               "kerascpp"};
  app.require_subcommand(1);
  kerascpp::add_summary_command(app);
  kerascpp::add_predict_command(app);
  kerascpp::add_convert_command(app);
  kerascpp::add_plot_command(app);
  kerascpp::add_fit_command(app);
  kerascpp::add_bench_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);  // --help, or a usage error with exit code 2 or more
  } catch (const std::exception& error) {
    std::cout << std::flush;  // what the command printed comes before its error
    std::cerr << "kerascpp: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
