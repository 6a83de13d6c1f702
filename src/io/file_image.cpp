// SPDX-License-Identifier: Apache-2.0
#include "io/file_image.h"

#include "keras/error.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fcntl.h>

namespace keras::io {
namespace {

// What one read brings in at least (a page). Metadata lies in pieces of a few hundred bytes
// between the datasets; a page holds most pieces whole without reading much beside them.
constexpr std::uint64_t read_unit = 4096;

[[noreturn]] void fail_read(const std::string& name, std::string_view what) {
  throw FileError(name, fmt::format("Cannot read HDF5 file '{}': {}", name, what));
}

}  // namespace

class FileImage::Source {
 public:
  Source(int descriptor, std::string shown_name, std::uint64_t size)
      : descriptor_(descriptor),
        shown_name_(std::move(shown_name)),
        size_(size),
        read_((size + read_unit - 1) / read_unit, false),
        unread_pages_(read_.size()) {}
  ~Source() { stop_reading(); }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  // Reads the units holding bytes [offset, offset + count) that are not yet in `block`, each
  // run of them in one call.
  void read(std::byte* block, std::uint64_t offset, std::uint64_t count) {
    if (count == 0 || unread_pages_ == 0) return;
    const std::uint64_t end = (offset + count + read_unit - 1) / read_unit;
    for (std::uint64_t page = offset / read_unit; page < end;) {
      if (read_[page]) {
        ++page;
        continue;
      }
      std::uint64_t run_end = page + 1;
      while (run_end < end && !read_[run_end]) ++run_end;
      read_range(block, page * read_unit, std::min(run_end * read_unit, size_));
      unread_pages_ -= run_end - page;
      for (; page < run_end; ++page) read_[page] = true;
    }
    if (unread_pages_ == 0) stop_reading();
  }

  [[nodiscard]] std::uint64_t bytes_read() const noexcept { return bytes_read_; }

  void stop_reading() noexcept {
    if (descriptor_ >= 0) ::close(descriptor_);
    descriptor_ = -1;
  }

 private:
  void read_range(std::byte* block, std::uint64_t begin, std::uint64_t end) {
    if (descriptor_ < 0) fail_read(shown_name_, "the file cannot be read");
    while (begin < end) {
      const ssize_t count =
          ::pread(descriptor_, block + begin, end - begin, static_cast<off_t>(begin));
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) fail_read(shown_name_, "the file cannot be read");
      if (count == 0) fail_read(shown_name_, "the file became shorter while it was read");
      begin += static_cast<std::uint64_t>(count);
      bytes_read_ += static_cast<std::uint64_t>(count);
    }
  }

  int descriptor_;
  std::string shown_name_;
  std::uint64_t size_;
  std::vector<bool> read_;  // per read unit
  std::uint64_t unread_pages_;
  std::uint64_t bytes_read_ = 0;
};

FileImage::FileImage(std::uint64_t size)
    : block_(Tensor::empty({static_cast<std::int64_t>((size + sizeof(float) - 1) / sizeof(float))},
                           DType::float32)),
      size_(size) {}

FileImage FileImage::of_file(const std::string& path, const std::string& shown_name) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) fail_read(shown_name, "the file cannot be opened");
  struct stat status {};
  if (::fstat(descriptor, &status) != 0 || status.st_size < 0) {
    ::close(descriptor);
    fail_read(shown_name, "the file cannot be read");
  }
  const auto size = static_cast<std::uint64_t>(status.st_size);
  std::shared_ptr<Source> source;
  try {
    source = std::make_shared<Source>(descriptor, shown_name, size);
  } catch (...) {
    ::close(descriptor);
    throw;
  }
  FileImage image(size);
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

std::span<const unsigned char> FileImage::bytes(std::uint64_t offset, std::uint64_t size) const {
  auto* block = static_cast<unsigned char*>(const_cast<void*>(block_.raw_data()));
  if (source_) source_->read(reinterpret_cast<std::byte*>(block), offset, size);
  return {block + offset, size};
}

void FileImage::read_all() const {
  if (source_) (void)bytes(0, size_);
}

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
  (void)bytes(offset, end - offset);
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
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

}  // namespace keras::io
