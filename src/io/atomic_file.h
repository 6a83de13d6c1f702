// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace keras::io {

/// A file written under a temporary name beside `target` and renamed over it by commit(),
/// so that a reader never sees half a file and a failed write leaves any old file as it
/// was. Destroying an uncommitted AtomicFile removes the temporary.
class AtomicFile {
 public:
  explicit AtomicFile(std::string target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  [[nodiscard]] const std::string& target() const noexcept { return target_; }
  /// Where to write: `<target>.tmp-<pid>-<n>`, in the target's folder.
  [[nodiscard]] const std::string& temporary() const noexcept { return temporary_; }
  /// Renames the temporary over the target; throws FileError naming the target.
  void commit();

 private:
  std::string target_;
  std::string temporary_;
  bool committed_ = false;
};

/// A uniquely named file in the system's temporary folder, removed when this goes out of
/// scope (e.g. the model.weights.h5 that HDF5 writes before it goes into a `.keras` archive).
class ScratchFile {
 public:
  /// `suffix` ends the file name, e.g. "model.weights.h5".
  explicit ScratchFile(const std::string& suffix);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace keras::io
