// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_file.h"

#include "io/hdf5_catalog.h"
#include "io/hdf5_reader_process.h"
#include "io/hdf5_variable_strings.h"
#include "keras/error.h"

#include <fmt/format.h>
#include <hdf5_hl.h>

#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace keras::io::hdf5 {

struct FileInfo {
  std::string name;  // as shown in messages
  Handle handle;
  std::string path;
  FileImage image;  // the file's bytes, read as they are asked for; none for a file written
  // Opened with File::open_image: what the catalog cannot answer, HDF5 answers in a helper
  // process, started when first needed.
  bool reads_in_helper = false;
  std::optional<Catalog> catalog;
  std::unique_ptr<ReaderProcess> reader;
};

void silence_errors() {
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

// ---------------------------------------------------------------------------------------------
// File

File::File(std::shared_ptr<FileInfo> info, Group root)
    : info_(std::move(info)), root_(std::move(root)) {}

namespace {

// What is checked before HDF5 is asked to open `path`; returns the name shown in messages.
std::string check_readable(const std::string& path, const std::string& shown_name) {
  const std::string name = shown_name.empty() ? path : shown_name;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) fail_hdf5_read(name, "the file does not exist");
  if (!std::filesystem::is_regular_file(path, error))
    fail_hdf5_read(name, "it is not a regular file");
  return name;
}

// HDF5 looks for its signature at byte 0, 512, 1024, 2048, ... (after a user block).
bool has_hdf5_signature(const FileImage& image) {
  constexpr char signature[] = "\x89HDF\r\n\x1a\n";
  constexpr std::uint64_t length = sizeof signature - 1;
  for (std::uint64_t at = 0; at + length <= image.size(); at = at == 0 ? 512 : at * 2) {
    if (std::memcmp(image.bytes(at, length).data(), signature, length) == 0) return true;
  }
  return false;
}

void check_signature(const FileImage& image, const std::string& name) {
  if (!has_hdf5_signature(image))
    fail_hdf5_read(name, "it is not an HDF5 file (no HDF5 signature)");
}

}  // namespace

File File::open_read(const std::string& path, const std::string& shown_name) {
  const std::string name = check_readable(path, shown_name);
  return open_image(FileImage::of_file(path, name), name);
}

File File::open_read_here(const std::string& path, const std::string& shown_name) {
  const std::string name = check_readable(path, shown_name);
  return open_image_here(FileImage::of_file(path, name), name);
}

// Starts no HDF5: the catalog reads most files alone, and starting the library takes longer
// than that (0.7 ms here); the helper starts it when it opens the file.
File File::open_image(FileImage image, const std::string& shown_name) {
  check_signature(image, shown_name);
  auto info = std::make_shared<FileInfo>(
      FileInfo{shown_name, Handle(), "", image, true, std::nullopt, nullptr});
  // The catalog reads the file's structure from the image as it goes; a dataset is read when
  // it is asked for (Group::read_float32), so what no one asks for is never read.
  info->catalog = Catalog::read(
      info->image.block(),
      [image](std::uint64_t offset, std::uint64_t size) { image.read(offset, size); });
  if (!info->catalog) info->reader = std::make_unique<ReaderProcess>(std::move(image), shown_name);
  return File(info, Group(info, Handle(), "/"));
}

File File::open_image_here(FileImage image, const std::string& shown_name) {
  silence_errors();
  check_signature(image, shown_name);
  // Read-only, and HDF5 reads the caller's bytes in place instead of copying them.
  constexpr unsigned flags = H5LT_FILE_IMAGE_DONT_COPY | H5LT_FILE_IMAGE_DONT_RELEASE;
  Handle file(H5LTopen_file_image(image.data(), image.size(), flags), H5Fclose);
  if (!file.valid()) fail_hdf5_read(shown_name, "the file is damaged or truncated");
  Handle root(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose);
  if (!root.valid()) fail_hdf5_read(shown_name, "its root group cannot be opened");
  auto info = std::make_shared<FileInfo>(
      FileInfo{shown_name, std::move(file), "", image, false, std::nullopt, nullptr});
  return File(info, Group(info, std::move(root), "/"));
}

File File::create(const std::string& path, const std::string& shown_name) {
  silence_errors();
  const std::string name = shown_name.empty() ? path : shown_name;
  // Datasets of 1 KiB and more start on a 64-byte boundary, so that a loader can use their
  // bytes in the file's image as a tensor's storage (io/weight_assignments.h).
  const Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  const bool aligned = access.valid() && H5Pset_alignment(access.get(), 1024, 64) >= 0;
  Handle file(
      H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, aligned ? access.get() : H5P_DEFAULT),
      H5Fclose);
  if (!file.valid()) {
    throw FileError(name,
                    fmt::format("Cannot write HDF5 file '{}': the file cannot be created", name));
  }
  Handle root(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose);
  if (!root.valid()) {
    throw FileError(name, fmt::format("Cannot write HDF5 file '{}': its root group cannot be "
                                      "opened",
                                      name));
  }
  auto info = std::make_shared<FileInfo>(
      FileInfo{name, std::move(file), path, FileImage(), false, std::nullopt, nullptr});
  return File(info, Group(info, std::move(root), "/"));
}

bool File::started_helper() const noexcept { return info_ && info_->reader != nullptr; }

std::uint64_t File::bytes_read() const noexcept { return info_ ? info_->image.bytes_read() : 0; }

void File::close() {
  if (!info_) return;
  const hid_t file = info_->handle.get();
  const bool flushed = file < 0 || H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0;
  root_.id_.reset();
  const bool closed = info_->handle.reset();
  info_->reader.reset();
  info_->reads_in_helper = false;
  info_->catalog.reset();
  info_->image.stop_reading();
  if (!flushed || !closed) {
    throw FileError(
        info_->name,
        fmt::format("Cannot write HDF5 file '{}': flushing it to disk failed", info_->name));
  }
}

// ---------------------------------------------------------------------------------------------
// Group: navigation

Group::Group(std::shared_ptr<FileInfo> file, Handle id, std::string path)
    : file_(std::move(file)), id_(std::move(id)), path_(std::move(path)) {}

const std::string& Group::file_name() const noexcept { return file_->name; }

ReaderProcess* Group::remote() const {
  if (file_->reads_in_helper && !file_->reader) {
    file_->reader = std::make_unique<ReaderProcess>(file_->image, file_->name);
  }
  return file_->reader.get();
}

const Catalog* Group::catalog() const noexcept {
  return file_->catalog ? &*file_->catalog : nullptr;
}

std::optional<ObjectKind> Group::known_kind(std::string_view name) const {
  return catalog() != nullptr ? catalog()->kind(path_, name) : std::nullopt;
}

const FileImage& Group::image() const noexcept { return file_->image; }

std::string Group::child_path(std::string_view name) const {
  return path_ == "/" ? fmt::format("/{}", name) : fmt::format("{}/{}", path_, name);
}

std::vector<std::string> Group::read_variable_strings(hid_t attribute, std::size_t count,
                                                      std::string_view where) const {
  const std::span image(reinterpret_cast<const unsigned char*>(file_->image.data()),
                        file_->image.size());
  VariableStrings read =
      hdf5::read_variable_strings(file_->handle.get(), image, file_->path, attribute, count, where);
  if (!read.problem.empty()) fail(read.problem);
  return std::move(read.strings);
}

void Group::fail(std::string_view what) const {
  throw FileError(file_->name, fmt::format("Cannot read HDF5 file '{}': {}", file_->name, what));
}

void Group::fail_write(std::string_view what) const {
  throw FileError(file_->name, fmt::format("Cannot write HDF5 file '{}': {}", file_->name, what));
}

bool Group::has_object(std::string_view name, H5I_type_t type) const {
  // H5Lexists checks one link at a time, so walk a relative path part by part.
  const std::string path(name);
  if (path.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string prefix = path.substr(0, slash);
    if (prefix.empty() || prefix.back() == '/') return false;
    if (H5Lexists(id_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  const Handle object(H5Oopen(id_.get(), path.c_str(), H5P_DEFAULT), H5Oclose);
  return object.valid() && H5Iget_type(object.get()) == type;
}

bool Group::has_group(std::string_view name) const {
  if (const auto kind = known_kind(name)) return *kind == ObjectKind::group;
  if (remote() != nullptr) return remote()->has_group(path_, name);
  return has_object(name, H5I_GROUP);
}

bool Group::has_dataset(std::string_view name) const {
  if (const auto kind = known_kind(name)) return *kind == ObjectKind::dataset;
  if (remote() != nullptr) return remote()->has_dataset(path_, name);
  return has_object(name, H5I_DATASET);
}

Group Group::group(std::string_view name) const {
  if (known_kind(name) == ObjectKind::group) return Group(file_, Handle(), child_path(name));
  if (remote() != nullptr) {
    remote()->check_group(path_, name);
    return Group(file_, Handle(), child_path(name));
  }
  if (!has_group(name)) {
    if (has_dataset(name)) {
      fail(fmt::format("'{}' is a dataset, not a group", child_path(name)));
    }
    fail(fmt::format("group '{}' has no group '{}'", path_, name));
  }
  Handle id(H5Gopen2(id_.get(), std::string(name).c_str(), H5P_DEFAULT), H5Gclose);
  if (!id.valid()) fail(fmt::format("group '{}' cannot be opened", child_path(name)));
  return Group(file_, std::move(id), child_path(name));
}

std::vector<std::string> Group::children(Order order) const {
  // The catalog's groups keep no creation order, so HDF5 lists them by name too.
  if (catalog() != nullptr) {
    if (auto names = catalog()->children(path_)) return *std::move(names);
  }
  if (remote() != nullptr) return remote()->children(path_, order);
  H5G_info_t info{};
  if (H5Gget_info(id_.get(), &info) < 0) fail(fmt::format("group '{}' cannot be listed", path_));
  const H5_index_t index =
      order == Order::creation && H5Lget_name_by_idx(id_.get(), ".", H5_INDEX_CRT_ORDER,
                                                     H5_ITER_INC, 0, nullptr, 0, H5P_DEFAULT) >= 0
          ? H5_INDEX_CRT_ORDER
          : H5_INDEX_NAME;
  std::vector<std::string> names;
  names.reserve(info.nlinks);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size =
        H5Lget_name_by_idx(id_.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (size < 0) fail(fmt::format("group '{}' cannot be listed", path_));
    std::string name(static_cast<std::size_t>(size) + 1, '\0');
    if (H5Lget_name_by_idx(id_.get(), ".", index, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT) < 0) {
      fail(fmt::format("group '{}' cannot be listed", path_));
    }
    name.resize(static_cast<std::size_t>(size));
    names.push_back(std::move(name));
  }
  return names;
}

Group Group::create_group(std::string_view name) const {
  Handle id(H5Gcreate2(id_.get(), std::string(name).c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            H5Gclose);
  if (!id.valid()) fail_write(fmt::format("group '{}' cannot be created", child_path(name)));
  return Group(file_, std::move(id), child_path(name));
}

}  // namespace keras::io::hdf5
