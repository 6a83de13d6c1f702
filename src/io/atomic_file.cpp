// SPDX-License-Identifier: Apache-2.0
#include "io/atomic_file.h"

#include "keras/error.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

namespace keras::io {
namespace {

// Process id plus a counter: unique among processes and among threads of this one.
std::string unique_tag() {
  static std::atomic<unsigned long> counter{0};
  return fmt::format("{}-{}", static_cast<long>(::getpid()), counter++);
}

void remove_quietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace

AtomicFile::AtomicFile(std::string target)
    : target_(std::move(target)), temporary_(fmt::format("{}.tmp-{}", target_, unique_tag())) {}

AtomicFile::~AtomicFile() {
  if (!committed_) remove_quietly(temporary_);
}

void AtomicFile::commit() {
  std::error_code error;
  std::filesystem::rename(temporary_, target_, error);
  if (error) {
    remove_quietly(temporary_);
    throw FileError(target_, fmt::format("Cannot write '{}': {}", target_, error.message()));
  }
  committed_ = true;
}

ScratchFile::ScratchFile(const std::string& suffix) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::temp_directory_path(error);
  if (error) folder = "/tmp";
  path_ = (folder / fmt::format("kerascpp-{}-{}", unique_tag(), suffix)).string();
}

ScratchFile::~ScratchFile() { remove_quietly(path_); }

}  // namespace keras::io
