// SPDX-License-Identifier: Apache-2.0
// The HDF5 file format as h5py writes it by default (HDF5 File Format Specification 3.0:
// superblock version 0, version-1 object headers, symbol-table groups with their version-1
// B-trees, local heaps and symbol table nodes), read from a file's bytes. Anything outside that
// subset, or any check that fails, throws Unsupported, and HDF5 reads the file instead.
#include "io/hdf5_catalog.h"

#include "io/hdf5_file.h"
#include "io/hdf5_global_heaps.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <new>
#include <set>

namespace keras::io::hdf5 {
namespace {

struct Unsupported {};

// The sizes of addresses and lengths in every file h5py writes; the catalog reads no others.
constexpr unsigned address_size = 8;
constexpr unsigned length_size = 8;
constexpr std::uint64_t undefined_address = ~std::uint64_t{0};
constexpr std::uint64_t unlimited_size = ~std::uint64_t{0};  // H5S_UNLIMITED
constexpr std::uint64_t variable_string_size = 4 + address_size + 4;
constexpr unsigned max_rank = 32;  // HDF5's H5S_MAX_RANK

// Reads little-endian fields from one piece of the file, never past its end.
class Fields {
 public:
  explicit Fields(std::span<const unsigned char> bytes) : bytes_(bytes) {}
  // `size` bytes at `at` in `file`, fetched first.
  Fields(std::span<const unsigned char> file, const Catalog::Fetch& fetch, std::uint64_t at,
         std::uint64_t size) {
    if (at > file.size() || size > file.size() - at) throw Unsupported();
    if (fetch) fetch(at, size);
    bytes_ = file.subspan(at, size);
  }

  std::uint64_t number(unsigned size) { return read_little_endian(take(size)); }
  std::span<const unsigned char> take(std::uint64_t size) {
    if (size > left()) throw Unsupported();
    const auto piece = bytes_.subspan(position_, size);
    position_ += size;
    return piece;
  }
  void skip(std::uint64_t size) { (void)take(size); }
  void expect(std::string_view signature) {
    const auto found = take(signature.size());
    if (std::memcmp(found.data(), signature.data(), signature.size()) != 0) throw Unsupported();
  }
  [[nodiscard]] std::span<const unsigned char> rest() { return take(left()); }
  [[nodiscard]] std::uint64_t left() const { return bytes_.size() - position_; }

 private:
  std::span<const unsigned char> bytes_;
  std::uint64_t position_ = 0;
};

std::uint64_t padded_to_8(std::uint64_t size) { return (size + 7) / 8 * 8; }

struct Datatype {
  unsigned type_class = 0;
  std::uint32_t bits = 0;  // the class's bit field
  std::uint32_t size = 0;
  std::span<const unsigned char> properties;
};

enum : unsigned { integer_class = 0, float_class = 1, string_class = 3, variable_class = 9 };

// The fixed-point and floating-point fields a type's properties start with: where its bits lie.
bool bits_fit(const Datatype& type, std::uint64_t properties_size) {
  if (type.properties.size() < properties_size) return false;
  Fields in(type.properties);
  const std::uint64_t offset = in.number(2);
  const std::uint64_t precision = in.number(2);
  return precision > 0 && offset + precision <= std::uint64_t{8} * type.size;
}

Datatype read_datatype(std::span<const unsigned char> message, bool inside_variable = false);

// Only the classes h5py writes for Keras, each as HDF5 would decode it; anything else (other
// classes, reserved values) goes to HDF5, which then tells whether the object opens at all.
void check_datatype(const Datatype& type, bool inside_variable) {
  const std::uint32_t size = type.size;
  switch (type.type_class) {
    case integer_class:
      if ((size != 1 && size != 2 && size != 4 && size != 8) || !bits_fit(type, 4)) break;
      return;
    case float_class:
      if ((size != 2 && size != 4 && size != 8) || !bits_fit(type, 12)) break;
      return;
    case string_class:
      if (size == 0 || (type.bits & 0x0f) > 2 || ((type.bits >> 4) & 0x0f) > 1) break;
      return;
    case variable_class:
      if (inside_variable || (type.bits & 0x0f) != 1 || ((type.bits >> 4) & 0x0f) > 2 ||
          ((type.bits >> 8) & 0x0f) > 1 || size != variable_string_size) {
        break;
      }
      (void)read_datatype(type.properties, true);  // the base type: one character
      return;
    default:
      break;
  }
  throw Unsupported();
}

Datatype read_datatype(std::span<const unsigned char> message, bool inside_variable) {
  Fields in(message);
  const auto class_and_version = static_cast<unsigned>(in.number(1));
  const unsigned version = class_and_version >> 4;
  if (version < 1 || version > 3) throw Unsupported();
  Datatype type;
  type.type_class = class_and_version & 0x0f;
  type.bits = static_cast<std::uint32_t>(in.number(3));
  type.size = static_cast<std::uint32_t>(in.number(4));
  type.properties = in.rest();
  check_datatype(type, inside_variable);
  return type;
}

// A little-endian integer of all its bits (H5T_STD_I32LE, H5T_STD_U8LE, ...): bit 0 is the
// byte order, bit 3 the sign.
bool is_whole_little_endian_integer(const Datatype& type) {
  if (type.type_class != integer_class || (type.bits & 0x07) != 0 || type.properties.size() < 4) {
    return false;
  }
  Fields in(type.properties);
  return in.number(2) == 0 && in.number(2) == std::uint64_t{8} * type.size;
}

// H5T_IEEE_F32LE exactly: little-endian, no padding, implied mantissa bit, sign at bit 31,
// exponent 8 bits at 23 with bias 127, mantissa 23 bits at 0.
bool is_float32_little_endian(const Datatype& type) {
  if (type.type_class != float_class || type.size != 4 || (type.bits & 0xffff) != 0x1f20 ||
      type.properties.size() < 12) {
    return false;
  }
  Fields in(type.properties);
  return in.number(2) == 0 && in.number(2) == 32 && in.number(1) == 23 && in.number(1) == 8 &&
         in.number(1) == 0 && in.number(1) == 23 && in.number(4) == 127;
}

struct Dataspace {
  bool null = false;
  std::vector<std::uint64_t> dims;  // none for a scalar
  std::uint64_t elements = 0;
};

Dataspace read_dataspace(std::span<const unsigned char> message) {
  Fields in(message);
  const std::uint64_t version = in.number(1);
  const auto rank = static_cast<unsigned>(in.number(1));
  const std::uint64_t flags = in.number(1);
  if (rank > max_rank || (flags & ~std::uint64_t{1}) != 0) throw Unsupported();
  Dataspace space;
  if (version == 1) {
    in.skip(5);
  } else if (version == 2) {
    const std::uint64_t type = in.number(1);  // scalar, simple or null
    if (type > 2 || (type != 1 && rank != 0)) throw Unsupported();
    space.null = type == 2;
  } else {
    throw Unsupported();
  }
  space.elements = space.null ? 0 : 1;
  for (unsigned axis = 0; axis < rank; ++axis) {
    space.dims.push_back(in.number(length_size));
    if (__builtin_mul_overflow(space.elements, space.dims.back(), &space.elements)) {
      throw Unsupported();
    }
  }
  if ((flags & 1) != 0) {
    for (unsigned axis = 0; axis < rank; ++axis) {
      const std::uint64_t most = in.number(length_size);
      if (most != unlimited_size && most < space.dims[axis]) throw Unsupported();
    }
  }
  return space;
}

struct Attribute {
  std::string name;
  Datatype type;
  Dataspace space;
  std::span<const unsigned char> data;
};

Attribute read_attribute(std::span<const unsigned char> message) {
  Fields in(message);
  const std::uint64_t version = in.number(1);
  if (version < 1 || version > 3) throw Unsupported();
  if (in.number(1) != 0 && version > 1) throw Unsupported();  // a shared datatype or dataspace
  const std::uint64_t name_size = in.number(2);
  const std::uint64_t type_size = in.number(2);
  const std::uint64_t space_size = in.number(2);
  if (version == 3) in.skip(1);  // the name's character set
  const auto part = [&](std::uint64_t size) {
    const auto bytes = in.take(version == 1 ? padded_to_8(size) : size);
    return bytes.first(size);
  };
  const auto name = part(name_size);
  // HDF5 refuses a name not ended by its NUL; one with an earlier NUL would be read shorter.
  if (name.empty() || std::find(name.begin(), name.end(), 0) != name.end() - 1) {
    throw Unsupported();
  }
  Attribute attribute;
  attribute.name.assign(name.begin(), name.end() - 1);
  attribute.type = read_datatype(part(type_size));
  attribute.space = read_dataspace(part(space_size));
  std::uint64_t data_size = 0;
  if (__builtin_mul_overflow(attribute.space.elements, attribute.type.size, &data_size)) {
    throw Unsupported();
  }
  attribute.data = in.take(data_size);
  return attribute;
}

// What reading one file shares: its bytes up to its end-of-file address (HDF5 reads nothing
// beyond), the group node capacities its superblock sets, the nodes and chunks already read,
// and a budget: the catalog reads at most twice the file's bytes of structure, so structures
// that overlap in a damaged file (a node inside another's entries, chunks shared by headers)
// cannot make the work grow faster than the file.
class FileReader {
 public:
  FileReader(std::span<const unsigned char> file, const Catalog::Fetch& fetch, std::uint64_t leaf_k,
             std::uint64_t internal_k)
      : file_(file),
        fetch_(fetch),
        leaf_k_(leaf_k),
        internal_k_(internal_k),
        budget_(2 * file.size() + 4096) {}

  [[nodiscard]] std::span<const unsigned char> file() const { return file_; }
  [[nodiscard]] std::uint64_t leaf_k() const { return leaf_k_; }
  [[nodiscard]] std::uint64_t internal_k() const { return internal_k_; }

  // `size` bytes at `at`, counted against the budget.
  Fields piece(std::uint64_t at, std::uint64_t size) {
    if (size > budget_) throw Unsupported();
    budget_ -= size;
    return Fields(file_, fetch_, at, size);
  }
  // Each node and header chunk is read once: a second visit means a loop or sharing.
  void visit(std::uint64_t address) {
    if (!visited_.insert(address).second) throw Unsupported();
  }

 private:
  std::span<const unsigned char> file_;
  const Catalog::Fetch& fetch_;
  std::uint64_t leaf_k_;
  std::uint64_t internal_k_;
  std::uint64_t budget_;
  std::set<std::uint64_t> visited_;
};

struct Message {
  std::uint64_t type;
  std::span<const unsigned char> data;
};

enum : std::uint64_t {
  nil_message = 0x00,
  dataspace_message = 0x01,
  old_fill_value_message = 0x04,
  fill_value_message = 0x05,
  datatype_message = 0x03,
  layout_message = 0x08,
  attribute_message = 0x0c,
  comment_message = 0x0d,
  old_modification_time_message = 0x0e,
  continuation_message = 0x10,
  symbol_table_message = 0x11,
  modification_time_message = 0x12,
  reference_count_message = 0x16,
};

bool is_ignorable(std::uint64_t type) {
  return type == nil_message || type == old_fill_value_message || type == fill_value_message ||
         type == comment_message || type == old_modification_time_message ||
         type == modification_time_message || type == reference_count_message;
}

// The messages of the version-1 object header at `address`, continuations followed.
std::vector<Message> read_messages(FileReader& reader, std::uint64_t address) {
  Fields prefix = reader.piece(address, 16);
  if (prefix.number(1) != 1) throw Unsupported();  // version 2 starts with "OHDR"
  prefix.skip(1);
  const std::uint64_t declared = prefix.number(2);
  prefix.skip(4);  // reference count
  std::vector<std::pair<std::uint64_t, std::uint64_t>> chunks{{address + 16, prefix.number(4)}};
  std::uint64_t count = 0;
  std::vector<Message> messages;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    reader.visit(chunks[k].first);
    Fields in = reader.piece(chunks[k].first, chunks[k].second);
    while (in.left() > 0) {
      const std::uint64_t type = in.number(2);
      const std::uint64_t size = in.number(2);
      const std::uint64_t flags = in.number(1);
      in.skip(3);
      // Only "constant" and "do not share": HDF5 refuses some other combinations, and a
      // shared message lives elsewhere.
      if (size % 8 != 0 || (flags & ~std::uint64_t{0x05}) != 0) throw Unsupported();
      const auto data = in.take(size);
      if (++count > declared) throw Unsupported();
      if (type == continuation_message) {
        Fields continuation(data);
        const std::uint64_t at = continuation.number(address_size);
        chunks.emplace_back(at, continuation.number(length_size));
      } else if (!is_ignorable(type)) {
        messages.push_back({type, data});
      }
    }
  }
  if (count != declared) throw Unsupported();
  return messages;
}

// A group's local heap, which holds its links' names.
class LocalHeap {
 public:
  LocalHeap(FileReader& reader, std::uint64_t address) {
    Fields in = reader.piece(address, 32);
    in.expect("HEAP");
    if (in.number(1) != 0) throw Unsupported();
    in.skip(3);
    const std::uint64_t size = in.number(length_size);
    const std::uint64_t free_list = in.number(length_size);
    data_ = reader.piece(in.number(address_size), size).rest();
    check_free_list(free_list);
  }

  // HDF5 reads the free list when it loads the heap and refuses the heap where the list runs
  // outside it (H5HL__fl_deserialize); a list that loops would never end there.
  void check_free_list(std::uint64_t block) const {
    constexpr std::uint64_t end_of_list = 1;  // H5HL_FREE_NULL
    std::set<std::uint64_t> seen;
    while (block != end_of_list) {
      if (block >= data_.size() || data_.size() - block < 2 * length_size ||
          !seen.insert(block).second) {
        throw Unsupported();
      }
      Fields entry(data_.subspan(block, 2 * length_size));
      const std::uint64_t next = entry.number(length_size);
      const std::uint64_t size = entry.number(length_size);
      if (next == 0 || size > data_.size() - block) throw Unsupported();
      block = next;
    }
  }

  [[nodiscard]] std::string name(std::uint64_t offset) const {
    if (offset >= data_.size()) throw Unsupported();
    const auto text = data_.subspan(offset);
    const auto end = std::find(text.begin(), text.end(), 0);
    if (end == text.end()) throw Unsupported();
    return {text.begin(), end};
  }

 private:
  std::span<const unsigned char> data_;
};

using Links = std::vector<std::pair<std::string, std::uint64_t>>;

// Where a group's symbol table lives: its B-tree and its local heap.
struct SymbolTable {
  std::uint64_t tree;
  std::uint64_t heap;
};

SymbolTable read_symbol_table(std::span<const unsigned char> message) {
  Fields in(message);
  const std::uint64_t tree = in.number(address_size);
  return {tree, in.number(address_size)};
}

// A group's links in the order of its B-tree, which HDF5 both lists and searches: names must
// rise strictly, and each child's names lie after its left key and up to its right key (as
// H5G__node_cmp3 assumes), or HDF5 would list or find them otherwise than the catalog.
class GroupReader {
 public:
  explicit GroupReader(FileReader& reader) : reader_(reader) {}

  // Entries that cache a group's symbol table, which HDF5 may use instead of the group's own
  // message: they must agree (checked once every object is read).
  [[nodiscard]] std::vector<std::pair<std::uint64_t, SymbolTable>>& cached_tables() {
    return cached_tables_;
  }

  Links links(const SymbolTable& table) {
    const LocalHeap heap(reader_, table.heap);
    Links links;
    read_tree(table.tree, heap, links, std::nullopt);
    const auto out_of_order = [](const auto& a, const auto& b) { return !(a.first < b.first); };
    if (std::adjacent_find(links.begin(), links.end(), out_of_order) != links.end()) {
      throw Unsupported();
    }
    return links;
  }

 private:
  void read_tree(std::uint64_t address, const LocalHeap& heap, Links& links,
                 std::optional<std::uint64_t> expected_level) {
    reader_.visit(address);
    Fields in = reader_.piece(address, 24);
    in.expect("TREE");
    if (in.number(1) != 0) throw Unsupported();  // a group node
    const std::uint64_t level = in.number(1);
    const std::uint64_t entries = in.number(2);
    if ((expected_level && level != *expected_level) || entries > 2 * reader_.internal_k()) {
      throw Unsupported();
    }
    // HDF5 reads the whole node, as large as the superblock says nodes are.
    Fields keys_and_children = reader_.piece(
        address + 24, 2 * reader_.internal_k() * (length_size + address_size) + length_size);
    std::string left = heap.name(keys_and_children.number(length_size));
    for (std::uint64_t i = 0; i < entries; ++i) {
      const std::uint64_t child = keys_and_children.number(address_size);
      std::string right = heap.name(keys_and_children.number(length_size));
      const std::size_t first = links.size();
      if (level == 0) {
        read_symbol_node(child, heap, links);
      } else {
        read_tree(child, heap, links, level - 1);
      }
      for (std::size_t k = first; k < links.size(); ++k) {
        if (!(left < links[k].first) || right < links[k].first) throw Unsupported();
      }
      left = std::move(right);
    }
  }

  void read_symbol_node(std::uint64_t address, const LocalHeap& heap, Links& links) {
    reader_.visit(address);
    Fields in = reader_.piece(address, 8);
    in.expect("SNOD");
    if (in.number(1) != 1) throw Unsupported();
    in.skip(1);
    const std::uint64_t symbols = in.number(2);
    if (symbols > 2 * reader_.leaf_k()) throw Unsupported();
    Fields entries = reader_.piece(address + 8, 2 * reader_.leaf_k() * 40);
    for (std::uint64_t i = 0; i < symbols; ++i) {
      const std::uint64_t name = entries.number(address_size);
      const std::uint64_t header = entries.number(address_size);
      const std::uint64_t cache_type = entries.number(4);
      entries.skip(4);
      const SymbolTable cached = read_symbol_table(entries.take(16));
      if (cache_type > 1 || header == undefined_address) throw Unsupported();  // a soft link
      links.emplace_back(heap.name(name), header);
      if (cache_type == 1) cached_tables_.emplace_back(header, cached);
    }
  }

  FileReader& reader_;
  std::vector<std::pair<std::uint64_t, SymbolTable>> cached_tables_;
};

enum class Storage { none, compact, contiguous };

}  // namespace

struct Catalog::Object {
  ObjectKind kind = ObjectKind::other;
  Links links;  // a group's
  std::optional<SymbolTable> table;
  std::vector<Attribute> attributes;
  // A dataset's
  Datatype type;
  Dataspace space;
  Storage storage = Storage::none;
  std::uint64_t data_offset = undefined_address;
  std::uint64_t data_size = 0;
};

namespace {

// The data a dataset's layout gives must hold its elements; contiguous data must lie inside
// the file (HDF5 refuses to open the dataset otherwise).
void read_layout(std::span<const unsigned char> file, std::span<const unsigned char> message,
                 Catalog::Object& object) {
  Fields in(message);
  if (in.number(1) != 3) throw Unsupported();
  const std::uint64_t layout_class = in.number(1);
  if (layout_class == 0) {
    object.storage = Storage::compact;
    object.data_size = in.number(2);
    object.data_offset = static_cast<std::uint64_t>(in.take(object.data_size).data() - file.data());
  } else if (layout_class == 1) {
    object.storage = Storage::contiguous;
    object.data_offset = in.number(address_size);
    object.data_size = in.number(length_size);
    if (object.data_offset != undefined_address &&
        (object.data_offset > file.size() || file.size() - object.data_offset < object.data_size)) {
      throw Unsupported();
    }
  } else {
    throw Unsupported();  // chunked, possibly compressed
  }
}

void check_dataset(const Catalog::Object& object) {
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(object.space.elements, object.type.size, &bytes)) throw Unsupported();
  const bool stored = object.storage == Storage::compact || object.data_offset != undefined_address;
  if (stored && object.data_size < bytes) throw Unsupported();
}

Catalog::Object read_object(FileReader& reader, GroupReader& groups, std::uint64_t address) {
  Catalog::Object object;
  bool typed = false;
  bool shaped = false;
  for (const Message& message : read_messages(reader, address)) {
    switch (message.type) {
      case dataspace_message:
        object.space = read_dataspace(message.data);
        shaped = true;
        break;
      case datatype_message:
        object.type = read_datatype(message.data);
        typed = true;
        break;
      case layout_message:
        read_layout(reader.file(), message.data, object);
        break;
      case attribute_message:
        object.attributes.push_back(read_attribute(message.data));
        break;
      case symbol_table_message:
        if (object.table) throw Unsupported();
        object.table = read_symbol_table(message.data);
        object.links = groups.links(*object.table);
        break;
      default:
        throw Unsupported();  // new-style groups, dense attributes, filters, external files...
    }
  }
  const bool dataset = object.storage != Storage::none;
  if (object.table && (dataset || typed || shaped)) throw Unsupported();
  if (typed != dataset || shaped != dataset) throw Unsupported();  // committed types and such
  if (dataset) check_dataset(object);
  object.kind = object.table ? ObjectKind::group
                : dataset    ? ObjectKind::dataset
                             : ObjectKind::other;
  return object;
}

// Splits a path at its slashes; nothing when a part is empty or "." (HDF5 reads those).
std::optional<std::vector<std::string_view>> parts(std::string_view path) {
  std::vector<std::string_view> found;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (part.empty() || part == ".") return std::nullopt;
    found.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) return std::nullopt;
  }
  return found;
}

const Attribute* find_attribute(const Catalog::Object& object, std::string_view name) {
  for (const Attribute& attribute : object.attributes) {
    if (attribute.name == name) return &attribute;
  }
  return nullptr;
}

// The size the global heap collection at `address` declares, at most the file's size; fetches
// the collection, as far as the file holds it. Nothing where read_heap_string finds none to
// read (HDF5's null string at address 0, no collection's signature).
std::uint64_t fetch_collection(std::span<const unsigned char> file, const Catalog::Fetch& fetch,
                               std::uint64_t address) {
  if (address == 0 || address > file.size() || file.size() - address < 8 + length_size) return 0;
  if (fetch) fetch(address, 8 + length_size);
  if (std::memcmp(file.data() + address, "GCOL", 4) != 0) return 0;
  const std::uint64_t size = std::min<std::uint64_t>(
      read_little_endian(file.subspan(address + 8, length_size)), file.size());
  if (fetch) fetch(address, std::min(size, file.size() - address));
  return size;
}

bool same_table(const SymbolTable& a, const SymbolTable& b) {
  return a.tree == b.tree && a.heap == b.heap;
}

}  // namespace

std::string fixed_string_element(std::span<const unsigned char> bytes, bool space_padded) {
  std::string text(bytes.begin(), bytes.end());
  if (space_padded) {
    text.erase(text.find_last_not_of(' ') + 1);
  } else {
    text.resize(std::min(text.size(), text.find('\0')));
  }
  return text;
}

std::optional<Catalog> Catalog::read(std::span<const unsigned char> file, Fetch fetch) {
  try {
    Fields superblock(file, fetch, 0, 96);
    superblock.expect("\x89HDF\r\n\x1a\n");  // at byte 0: no user block
    if (superblock.number(1) != 0 || superblock.number(1) != 0 || superblock.number(1) != 0) {
      return std::nullopt;  // superblock, free-space and root entry versions
    }
    superblock.skip(1);
    if (superblock.number(1) != 0 || superblock.number(1) != address_size ||
        superblock.number(1) != length_size) {
      return std::nullopt;
    }
    superblock.skip(1);
    const std::uint64_t leaf_k = superblock.number(2);
    const std::uint64_t internal_k = superblock.number(2);
    const std::uint64_t consistency_flags = superblock.number(4);
    const std::uint64_t base = superblock.number(address_size);
    const std::uint64_t free_space = superblock.number(address_size);
    const std::uint64_t end_of_file = superblock.number(address_size);
    const std::uint64_t driver = superblock.number(address_size);
    if (consistency_flags != 0 || base != 0 || free_space != undefined_address || leaf_k == 0 ||
        internal_k == 0 || end_of_file > file.size() || driver != undefined_address) {
      return std::nullopt;
    }
    superblock.skip(address_size);  // the root's name in a heap
    const std::uint64_t root = superblock.number(address_size);
    const std::uint64_t root_cache_type = superblock.number(4);
    superblock.skip(4);
    const SymbolTable root_cached = read_symbol_table(superblock.take(16));

    Catalog catalog(file.first(end_of_file), std::move(fetch));
    catalog.root_ = root;
    FileReader reader(catalog.file_, catalog.fetch_, leaf_k, internal_k);
    GroupReader groups(reader);
    std::deque<std::uint64_t> pending{root};
    while (!pending.empty()) {
      const std::uint64_t address = pending.front();
      pending.pop_front();
      if (catalog.objects_.contains(address)) continue;
      auto object = std::make_shared<Object>(read_object(reader, groups, address));
      for (const auto& link : object->links) pending.push_back(link.second);
      catalog.objects_.emplace(address, std::move(object));
    }
    if (root_cache_type > 1) return std::nullopt;
    if (root_cache_type == 1) groups.cached_tables().emplace_back(root, root_cached);
    for (const auto& [address, cached] : groups.cached_tables()) {
      const Object& object = *catalog.objects_.at(address);
      if (!object.table || !same_table(*object.table, cached)) return std::nullopt;
    }
    if (catalog.objects_.at(root)->kind != ObjectKind::group) return std::nullopt;
    return catalog;
  } catch (const Unsupported&) {
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return std::nullopt;  // HDF5, in its helper with a memory limit, reads it instead
  }
}

std::optional<const Catalog::Object*> Catalog::find(std::string_view group,
                                                    std::string_view name) const {
  if (!group.starts_with('/')) return std::nullopt;
  const auto group_parts = parts(group.substr(1));
  const auto name_parts = parts(name);
  if (!group_parts || !name_parts) return std::nullopt;
  const Object* object = objects_.at(root_).get();
  for (const auto& path : {*group_parts, *name_parts}) {
    for (const std::string_view part : path) {
      if (object->kind != ObjectKind::group) return nullptr;
      const auto link = std::lower_bound(
          object->links.begin(), object->links.end(), part,
          [](const auto& entry, std::string_view wanted) { return entry.first < wanted; });
      if (link == object->links.end() || link->first != part) return nullptr;
      object = objects_.at(link->second).get();
    }
  }
  return object;
}

std::optional<ObjectKind> Catalog::kind(std::string_view group, std::string_view name) const {
  if (name.empty()) return std::nullopt;
  const auto object = find(group, name);
  if (!object) return std::nullopt;
  return *object == nullptr ? ObjectKind::missing : (*object)->kind;
}

std::optional<std::vector<std::string>> Catalog::children(std::string_view group) const {
  const auto object = find(group, {});
  if (!object || *object == nullptr || (*object)->kind != ObjectKind::group) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& link : (*object)->links) names.push_back(link.first);
  return names;
}

std::optional<bool> Catalog::has_attribute(std::string_view group, std::string_view name) const {
  const auto object = find(group, {});
  if (!object || *object == nullptr) return std::nullopt;
  return find_attribute(**object, name) != nullptr;
}

std::optional<std::vector<std::string>> Catalog::strings(std::string_view group,
                                                         std::string_view name) const {
  const auto object = find(group, {});
  if (!object || *object == nullptr) return std::nullopt;
  const Attribute* attribute = find_attribute(**object, name);
  if (attribute == nullptr || attribute->space.dims.size() > 1) return std::nullopt;
  const std::uint64_t count = attribute->space.elements;
  if (count == 0) return std::vector<std::string>{};
  std::vector<std::string> strings;
  if (attribute->type.type_class == string_class) {
    const std::uint64_t size = attribute->type.size;  // not 0: check_datatype
    const bool space_padded = (attribute->type.bits & 0x0f) == 2;
    for (std::uint64_t i = 0; i < count; ++i) {
      strings.push_back(
          fixed_string_element(attribute->data.subspan(i * size, size), space_padded));
    }
    return strings;
  }
  if (attribute->type.type_class != variable_class) return std::nullopt;  // a string: checked
  // Each string walks its heap collection from the start, so a damaged file listing many
  // strings in a large collection could cost its size squared; past this much, HDF5's helper
  // (which has a time limit) reads them.
  const std::uint64_t walk_budget = 64 * file_.size() + (std::uint64_t{64} << 20);
  std::uint64_t walked = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto descriptor = attribute->data.subspan(i * variable_string_size, variable_string_size);
    walked +=
        fetch_collection(file_, fetch_, read_little_endian(descriptor.subspan(4, address_size)));
    if (walked > walk_budget) return std::nullopt;
    HeapString string = read_heap_string(file_, descriptor, address_size, 0, length_size, {});
    if (!string.problem.empty()) return std::nullopt;
    strings.push_back(std::move(string.text));
  }
  return strings;
}

std::optional<Float32Place> Catalog::float32_place(std::string_view group,
                                                   std::string_view name) const {
  const auto found = find(group, name);
  if (!found || *found == nullptr || (*found)->kind != ObjectKind::dataset) return std::nullopt;
  const Object& dataset = **found;
  if (!is_float32_little_endian(dataset.type) || dataset.space.null) return std::nullopt;
  const std::uint64_t elements = dataset.space.elements;
  if (elements > max_dataset_elements) return std::nullopt;
  Float32Place place;
  for (const std::uint64_t dim : dataset.space.dims) {
    if (dim > max_dataset_elements) return std::nullopt;  // a huge axis beside an empty one
    place.shape.push_back(static_cast<std::int64_t>(dim));
  }
  if (elements == 0) return place;
  // Stored data lies whole inside the file (read_layout, check_dataset); unwritten data is
  // HDF5's to report.
  if (dataset.data_offset == undefined_address) return std::nullopt;
  place.offset = dataset.data_offset;
  return place;
}

std::optional<IntegerPlace> Catalog::integer_scalar_place(std::string_view group,
                                                          std::string_view name) const {
  const auto found = find(group, name);
  if (!found || *found == nullptr || (*found)->kind != ObjectKind::dataset) return std::nullopt;
  const Object& dataset = **found;
  if (!is_whole_little_endian_integer(dataset.type) || dataset.space.null ||
      dataset.space.elements != 1 || dataset.data_offset == undefined_address) {
    return std::nullopt;
  }
  return IntegerPlace{dataset.data_offset, dataset.type.size, (dataset.type.bits & 0x08) != 0};
}

}  // namespace keras::io::hdf5
