// SPDX-License-Identifier: Apache-2.0
#include "utils/plot_files.h"

#include "io/atomic_file.h"
#include "keras/error.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <vector>

extern char** environ;  // what posix_spawnp passes on, so `dot` finds its plugins and fonts

namespace keras::detail {
namespace {

// `path`'s text, at most a few kilobytes of it: Graphviz's messages for the error.
std::string read_message(const std::string& path) {
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  text.resize(std::min<std::size_t>(text.size(), 4096));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text.empty() ? "it printed nothing" : text;
}

// Starts `dot` with stdin and stdout on /dev/null and stderr into `errors`; returns its exit
// status.
int run_dot(std::vector<std::string> arguments, const std::string& errors,
            const std::string& path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "dot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned == ENOENT) {
    throw Error(
        fmt::format("Cannot plot to '{}': Graphviz's `dot` program was not found on the "
                    "PATH; install Graphviz (Debian and Ubuntu: apt-get install graphviz)",
                    path));
  }
  if (spawned != 0) {
    throw Error(fmt::format("Cannot plot to '{}': Graphviz's `dot` could not be started: {}", path,
                            std::strerror(spawned)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw Error(fmt::format("Cannot plot to '{}': waiting for Graphviz's `dot` failed: {}", path,
                              std::strerror(errno)));
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string escape_markup(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

void check_output_folder(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error)) {
    throw FileError(path, fmt::format("Cannot write '{}': the folder '{}' does not exist", path,
                                      folder.string()));
  }
}

void write_file_atomically(const std::string& path, const std::string& text) {
  check_output_folder(path);
  io::AtomicFile file(path);
  {
    std::ofstream out(file.temporary(), std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      throw FileError(
          path, fmt::format("Cannot write '{}': writing '{}' failed", path, file.temporary()));
    }
  }
  file.commit();
}

void render_with_graphviz(const std::string& dot_text, const std::string& format,
                          const std::string& path) {
  check_output_folder(path);
  const io::ScratchFile input("graph.dot");
  const io::ScratchFile errors("dot-stderr.txt");
  {
    std::ofstream out(input.path(), std::ios::binary);
    if (!(out << dot_text).flush()) {
      throw FileError(input.path(), fmt::format("Cannot plot to '{}': writing the graph to '{}' "
                                                "failed",
                                                path, input.path()));
    }
  }
  io::AtomicFile output(path);
  const int status =
      run_dot({"dot", "-T" + format, "-o", output.temporary(), input.path()}, errors.path(), path);
  if (status != 0) {
    throw Error(fmt::format("Cannot plot to '{}': Graphviz's `dot` failed (exit status {}): {}",
                            path, status, read_message(errors.path())));
  }
  output.commit();
}

}  // namespace keras::detail
