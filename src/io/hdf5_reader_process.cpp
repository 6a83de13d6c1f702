// SPDX-License-Identifier: Apache-2.0
#include "io/hdf5_reader_process.h"

#include "io/hdf5_file.h"
#include "io/wire.h"
#include "keras/error.h"

#include <fmt/format.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <new>
#include <optional>

namespace keras::io::hdf5 {
namespace {

enum class Op : std::uint64_t {
  open,
  has_group,
  has_dataset,
  check_group,
  children,
  has_attribute,
  string_attribute,
  string_list_attribute,
  read_float32,
  read_int64_scalar,
  dataset_dtype,
};

enum class Status : std::uint64_t { answered, failed };

std::atomic<std::int64_t> reply_timeout_ms{60'000};

// The helper may use at most the machine's memory (and so never an absurd amount).
std::uint64_t address_space_limit() {
  const std::uint64_t memory = physical_memory_bytes();
  return memory == 0 ? 0 : memory + (std::uint64_t{1} << 30);
}

std::string request(Op op, const std::string& group, std::string_view name,
                    Order order = Order::name) {
  return wire::Writer()
      .number(static_cast<std::uint64_t>(op))
      .text(group)
      .text(name)
      .number(static_cast<std::uint64_t>(order))
      .take();
}

void write_strings(wire::Writer& out, const std::vector<std::string>& strings) {
  out.number(strings.size());
  for (const std::string& text : strings) out.text(text);
}

std::vector<std::string> read_strings(wire::Reader& in) {
  const std::uint64_t count = in.number();
  std::vector<std::string> strings;
  for (std::uint64_t i = 0; i < count; ++i) strings.emplace_back(in.text());
  return strings;
}

// How a float32 dataset comes back: as a place in the image both processes hold (the helper
// was forked with it), or, when HDF5 converted it, as its bytes.
enum class TensorForm : std::uint64_t { in_image, bytes };

void write_tensor(wire::Writer& out, const Tensor& tensor, const FileImage& image) {
  const std::optional<std::uint64_t> offset = image.offset_of(tensor);
  out.number(static_cast<std::uint64_t>(offset ? TensorForm::in_image : TensorForm::bytes));
  out.number(tensor.shape().size());
  for (const std::int64_t size : tensor.shape()) out.number(static_cast<std::uint64_t>(size));
  if (offset) {
    out.number(*offset);
  } else {
    out.text(std::string_view(static_cast<const char*>(tensor.raw_data()), tensor.nbytes()));
  }
}

Tensor read_tensor(wire::Reader& in, const FileImage& image) {
  const auto form = static_cast<TensorForm>(in.number());
  // The rank is read as a count, not trusted as a size: a damaged reply ends in Truncated.
  const std::uint64_t rank = in.number();
  std::vector<std::int64_t> shape;
  for (std::uint64_t axis = 0; axis < rank; ++axis) {
    shape.push_back(static_cast<std::int64_t>(in.number()));
  }
  if (form == TensorForm::in_image) {
    std::optional<Tensor> view = image.float32_view(in.number(), shape);
    if (!view) throw wire::Truncated();
    return *std::move(view);
  }
  const std::string_view bytes = in.text();
  Tensor tensor = Tensor::empty(shape, DType::float32);
  if (bytes.size() != tensor.nbytes()) throw wire::Truncated();
  // An empty tensor has no storage: memcpy must not see its null pointer, even for 0 bytes.
  if (!bytes.empty()) std::memcpy(tensor.raw_data(), bytes.data(), bytes.size());
  return tensor;
}

// The helper's side: the file, opened here by the first request, and one answer per request.
class Server {
 public:
  std::string operator()(std::string_view message) {
    wire::Writer out;
    try {
      wire::Reader in(message);
      const auto op = static_cast<Op>(in.number());
      const std::string first(in.text());
      const std::string second(in.text());
      const auto order = static_cast<Order>(in.number());
      out.number(static_cast<std::uint64_t>(Status::answered));
      if (op == Op::open) {
        file_->emplace(File::open_image_here(image_, shown_name_));
      } else if (!file_->has_value()) {
        return failure(fmt::format("Cannot read HDF5 file '{}': it is not open", shown_name_));
      } else if (first == "/") {
        answer(out, op, (*file_)->root(), second, order);
      } else {
        answer(out, op, (*file_)->root().group(first.substr(1)), second, order);
      }
      return out.take();
    } catch (const FileError& error) {
      return failure(error.what());
    } catch (const std::bad_alloc&) {
      return failure(fmt::format("Cannot read HDF5 file '{}': it needs more memory than there is",
                                 shown_name_));
    } catch (const std::exception& error) {
      return failure(fmt::format("Cannot read HDF5 file '{}': {}", shown_name_, error.what()));
    }
  }

  Server(FileImage image, std::string shown_name)
      : image_(std::move(image)), shown_name_(std::move(shown_name)) {}

 private:
  void answer(wire::Writer& out, Op op, const Group& group, const std::string& name,
              Order order) const {
    switch (op) {
      case Op::has_group:
        out.number(group.has_group(name) ? 1 : 0);
        break;
      case Op::has_dataset:
        out.number(group.has_dataset(name) ? 1 : 0);
        break;
      case Op::check_group:
        (void)group.group(name);
        break;
      case Op::children:
        write_strings(out, group.children(order));
        break;
      case Op::has_attribute:
        out.number(group.has_attribute(name) ? 1 : 0);
        break;
      case Op::string_attribute:
        out.text(group.string_attribute(name));
        break;
      case Op::string_list_attribute:
        write_strings(out, group.string_list_attribute(name));
        break;
      case Op::read_float32:
        write_tensor(out, group.read_float32(name), image_);
        break;
      case Op::read_int64_scalar:
        out.number(static_cast<std::uint64_t>(group.read_int64_scalar(name)));
        break;
      case Op::dataset_dtype:
        out.text(group.dataset_dtype(name));
        break;
      case Op::open:
        break;
    }
  }

  static std::string failure(std::string_view message) {
    return wire::Writer().number(static_cast<std::uint64_t>(Status::failed)).text(message).take();
  }

  FileImage image_;
  std::string shown_name_;
  // Shared because std::function copies its target; only the helper's copy is ever used.
  std::shared_ptr<std::optional<File>> file_ = std::make_shared<std::optional<File>>();
};

ChildProcess start_helper(const FileImage& image, const std::string& shown_name) {
  image.read_all();  // here, so that both processes hold the same bytes
  try {
    return ChildProcess(
        Server(image, shown_name),
        {std::chrono::milliseconds(reply_timeout_ms.load()), address_space_limit()});
  } catch (const ChildProcessFailure& failure) {
    throw FileError(shown_name, fmt::format("Cannot read HDF5 file '{}': the process that reads it "
                                            "with HDF5 {}",
                                            shown_name, failure.what()));
  }
}

}  // namespace

void ReaderProcess::set_reply_timeout(std::chrono::milliseconds timeout) {
  reply_timeout_ms = timeout.count();
}

template <typename Decode>
auto ReaderProcess::ask(std::string message, Decode decode) {
  try {
    const std::string reply = helper_.ask(message);
    wire::Reader in(reply);
    if (static_cast<Status>(in.number()) == Status::failed) {
      throw FileError(shown_name_, std::string(in.text()));
    }
    return decode(in);
  } catch (const ChildProcessFailure& failure) {
    throw FileError(shown_name_, fmt::format("Cannot read HDF5 file '{}': the process that reads "
                                             "it with HDF5 {}; the file is damaged",
                                             shown_name_, failure.what()));
  } catch (const wire::Truncated& truncated) {
    throw FileError(shown_name_,
                    fmt::format("Cannot read HDF5 file '{}': {}", shown_name_, truncated.what()));
  }
}

ReaderProcess::ReaderProcess(FileImage image, const std::string& shown_name)
    : shown_name_(shown_name), image_(std::move(image)), helper_(start_helper(image_, shown_name)) {
  ask(request(Op::open, "/", {}), [](wire::Reader&) {});
}

bool ReaderProcess::has_group(const std::string& group, std::string_view name) {
  return ask(request(Op::has_group, group, name),
             [](wire::Reader& in) { return in.number() != 0; });
}

bool ReaderProcess::has_dataset(const std::string& group, std::string_view name) {
  return ask(request(Op::has_dataset, group, name),
             [](wire::Reader& in) { return in.number() != 0; });
}

void ReaderProcess::check_group(const std::string& group, std::string_view name) {
  ask(request(Op::check_group, group, name), [](wire::Reader&) {});
}

std::vector<std::string> ReaderProcess::children(const std::string& group, Order order) {
  return ask(request(Op::children, group, {}, order), read_strings);
}

bool ReaderProcess::has_attribute(const std::string& group, std::string_view name) {
  return ask(request(Op::has_attribute, group, name),
             [](wire::Reader& in) { return in.number() != 0; });
}

std::string ReaderProcess::string_attribute(const std::string& group, std::string_view name) {
  return ask(request(Op::string_attribute, group, name),
             [](wire::Reader& in) { return std::string(in.text()); });
}

std::vector<std::string> ReaderProcess::string_list_attribute(const std::string& group,
                                                              std::string_view name) {
  return ask(request(Op::string_list_attribute, group, name), read_strings);
}

Tensor ReaderProcess::read_float32(const std::string& group, std::string_view name) {
  return ask(request(Op::read_float32, group, name),
             [this](wire::Reader& in) { return read_tensor(in, image_); });
}

std::int64_t ReaderProcess::read_int64_scalar(const std::string& group, std::string_view name) {
  return ask(request(Op::read_int64_scalar, group, name),
             [](wire::Reader& in) { return static_cast<std::int64_t>(in.number()); });
}

std::string ReaderProcess::dataset_dtype(const std::string& group, std::string_view name) {
  return ask(request(Op::dataset_dtype, group, name),
             [](wire::Reader& in) { return std::string(in.text()); });
}

}  // namespace keras::io::hdf5
