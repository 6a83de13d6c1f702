// SPDX-License-Identifier: Apache-2.0
#include "io/file_image.h"

#include "keras/error.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>

namespace keras::io {
namespace {

// What one read brings in at least. Metadata lies in pieces of a few hundred bytes between
// the datasets; a page holds most pieces whole without reading much beside them.
constexpr std::uint64_t page_size = 4096;

// What tells one version of a file from another: a file rewritten in place keeps its inode
// but not its modification time.
struct Version {
  dev_t device;
  ino_t inode;
  off_t size;
  timespec modified;

  explicit Version(const struct stat& status)
      : device(status.st_dev),
        inode(status.st_ino),
        size(status.st_size),
        modified(status.st_mtim) {}
  bool operator==(const Version& other) const {
    return device == other.device && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
  }
};

}  // namespace

void fail_hdf5_read(const std::string& name, std::string_view what) {
  throw FileError(name, fmt::format("Cannot read HDF5 file '{}': {}", name, what));
}

class FileImage::Source {
 public:
  Source(int descriptor, std::string shown_name, const struct stat& status)
      : descriptor_(descriptor),
        shown_name_(std::move(shown_name)),
        version_(status),
        pages_read_((size() + page_size - 1) / page_size, false),
        unread_pages_(pages_read_.size()) {}
  ~Source() { stop_reading(); }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // Reads the pages holding bytes [offset, offset + count) that are not yet in `block`, each
  // run of them in one call.
  void read(std::byte* block, std::uint64_t offset, std::uint64_t count) {
    if (count == 0 || unread_pages_ == 0) return;
    const std::uint64_t end = (offset + count + page_size - 1) / page_size;
    for (std::uint64_t page = offset / page_size; page < end;) {
      if (pages_read_[page]) {
        ++page;
        continue;
      }
      std::uint64_t run_end = page + 1;
      while (run_end < end && !pages_read_[run_end]) ++run_end;
      const std::uint64_t begin = page * page_size;
      const std::uint64_t stop = std::min(run_end * page_size, size());
      read_range(block, begin, stop);
      bytes_read_ += stop - begin;
      unread_pages_ -= run_end - page;
      for (; page < run_end; ++page) pages_read_[page] = true;
    }
    if (unread_pages_ == 0) stop_reading();
  }

  [[nodiscard]] std::uint64_t bytes_read() const noexcept { return bytes_read_; }
  [[nodiscard]] std::uint64_t size() const noexcept {
    return static_cast<std::uint64_t>(version_.size);
  }

  void stop_reading() noexcept {
    if (descriptor_ >= 0) ::close(descriptor_);
    descriptor_ = -1;
  }

 private:
  // Bytes [begin, end) of the file, which must not have changed since it was opened.
  void read_range(std::byte* block, std::uint64_t begin, std::uint64_t end) const {
    if (descriptor_ < 0) fail_hdf5_read(shown_name_, "the file is closed");
    while (begin < end) {
      const ssize_t count =
          ::pread(descriptor_, block + begin, end - begin, static_cast<off_t>(begin));
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) fail_hdf5_read(shown_name_, "the file cannot be read");
      if (count == 0) break;  // shorter now: the check below tells
      begin += static_cast<std::uint64_t>(count);
    }
    struct stat status {};
    if (begin < end || ::fstat(descriptor_, &status) != 0 || !(Version(status) == version_)) {
      fail_hdf5_read(shown_name_, "the file changed while it was read");
    }
  }

  int descriptor_;
  std::string shown_name_;
  Version version_;  // as opened
  std::vector<bool> pages_read_;
  std::uint64_t unread_pages_;
  std::uint64_t bytes_read_ = 0;
};

FileImage::FileImage(std::uint64_t size)
    : block_(Tensor::empty({static_cast<std::int64_t>((size + sizeof(float) - 1) / sizeof(float))},
                           DType::float32)),
      size_(size) {}

FileImage FileImage::of_file(const std::string& path, const std::string& shown_name) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) fail_hdf5_read(shown_name, "the file cannot be opened");
  struct stat status {};
  std::shared_ptr<Source> source;
  try {
    if (::fstat(descriptor, &status) != 0) fail_hdf5_read(shown_name, "the file cannot be read");
    if (!S_ISREG(status.st_mode)) fail_hdf5_read(shown_name, "it is not a regular file");
    source = std::make_shared<Source>(descriptor, shown_name, status);
  } catch (...) {
    ::close(descriptor);
    throw;
  }
  FileImage image(static_cast<std::uint64_t>(status.st_size));
  image.source_ = std::move(source);
  return image;
}

std::byte* FileImage::data() {
  read_all();
  return static_cast<std::byte*>(block_.raw_data());
}

const std::byte* FileImage::data() const {
  read_all();
  return static_cast<const std::byte*>(block_.raw_data());
}

std::span<const unsigned char> FileImage::block() const noexcept {
  return {static_cast<const unsigned char*>(block_.raw_data()), size_};
}

void FileImage::read(std::uint64_t offset, std::uint64_t size) const {
  if (offset > size_ || size > size_ - offset) {
    throw std::out_of_range(
        fmt::format("bytes [{}, +{}) of a {}-byte file image", offset, size, size_));
  }
  if (source_)
    source_->read(static_cast<std::byte*>(const_cast<void*>(block_.raw_data())), offset, size);
}

std::span<const unsigned char> FileImage::bytes(std::uint64_t offset, std::uint64_t size) const {
  read(offset, size);
  return block().subspan(offset, size);
}

void FileImage::read_all() const { read(0, size_); }

std::uint64_t FileImage::bytes_read() const noexcept {
  return source_ ? source_->bytes_read() : size_;
}

void FileImage::stop_reading() const noexcept {
  if (source_) source_->stop_reading();
}

std::optional<Tensor> FileImage::float32_view(std::uint64_t offset,
                                              const std::vector<std::int64_t>& shape) const {
  std::uint64_t elements = 1;
  for (const std::int64_t size : shape) {
    if (size < 0 || __builtin_mul_overflow(elements, static_cast<std::uint64_t>(size), &elements)) {
      return std::nullopt;
    }
  }
  std::uint64_t end = 0;
  if (offset % sizeof(float) != 0 || __builtin_mul_overflow(elements, sizeof(float), &end) ||
      __builtin_add_overflow(end, offset, &end) || end > size_) {
    return std::nullopt;
  }
  read(offset, end - offset);
  return block_
      .narrow(0, static_cast<std::int64_t>(offset / sizeof(float)),
              static_cast<std::int64_t>(elements))
      .reshape(shape);
}

std::optional<std::uint64_t> FileImage::offset_of(const Tensor& values) const {
  if (!block_.defined() || !values.defined() || !values.shares_storage_with(block_) ||
      !values.is_contiguous()) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(static_cast<const std::byte*>(values.raw_data()) -
                                    static_cast<const std::byte*>(block_.raw_data()));
}

std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long bytes_per_page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || bytes_per_page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(bytes_per_page);
}

}  // namespace keras::io
