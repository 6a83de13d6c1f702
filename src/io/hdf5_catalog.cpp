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
#include <set>

namespace keras::io::hdf5 {
namespace {

struct Unsupported {};

// The sizes of addresses and lengths in every file h5py writes; the catalog reads no others.
constexpr unsigned address_size = 8;
constexpr unsigned length_size = 8;
constexpr std::uint64_t undefined_address = ~std::uint64_t{0};
constexpr std::uint64_t variable_string_size = 4 + address_size + 4;
constexpr unsigned max_rank = 32;  // HDF5's H5S_MAX_RANK

// Reads little-endian fields from one piece of the file, never past its end.
class Fields {
 public:
  explicit Fields(std::span<const unsigned char> bytes) : bytes_(bytes) {}
  Fields(std::span<const unsigned char> file, std::uint64_t at, std::uint64_t size) {
    if (at > file.size() || size > file.size() - at) throw Unsupported();
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

Datatype read_datatype(std::span<const unsigned char> message) {
  Fields in(message);
  const auto class_and_version = static_cast<unsigned>(in.number(1));
  const unsigned version = class_and_version >> 4;
  if (version < 1 || version > 3) throw Unsupported();
  Datatype type;
  type.type_class = class_and_version & 0x0f;
  type.bits = static_cast<std::uint32_t>(in.number(3));
  type.size = static_cast<std::uint32_t>(in.number(4));
  type.properties = in.rest();
  return type;
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

bool is_variable_string(const Datatype& type) {
  return type.type_class == variable_class && (type.bits & 0x0f) == 1;
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
  Attribute attribute;
  attribute.name.assign(name.begin(), std::find(name.begin(), name.end(), 0));
  attribute.type = read_datatype(part(type_size));
  attribute.space = read_dataspace(part(space_size));
  const std::uint64_t element_size =
      attribute.type.type_class == variable_class ? variable_string_size : attribute.type.size;
  if (is_variable_string(attribute.type) && attribute.type.size != variable_string_size) {
    throw Unsupported();
  }
  std::uint64_t data_size = 0;
  if (__builtin_mul_overflow(attribute.space.elements, element_size, &data_size)) {
    throw Unsupported();
  }
  attribute.data = in.take(data_size);
  return attribute;
}

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
std::vector<Message> read_messages(std::span<const unsigned char> file, std::uint64_t address) {
  Fields prefix(file, address, 16);
  if (prefix.number(1) != 1) throw Unsupported();  // version 2 starts with "OHDR"
  prefix.skip(1);
  const std::uint64_t declared = prefix.number(2);
  prefix.skip(4);  // reference count
  std::vector<std::pair<std::uint64_t, std::uint64_t>> chunks{{address + 16, prefix.number(4)}};
  std::set<std::uint64_t> chunk_starts{address + 16};
  std::uint64_t count = 0;
  std::vector<Message> messages;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    Fields in(file, chunks[k].first, chunks[k].second);
    while (in.left() > 0) {
      const std::uint64_t type = in.number(2);
      const std::uint64_t size = in.number(2);
      const std::uint64_t flags = in.number(1);
      in.skip(3);
      if (size % 8 != 0 || (flags & 0x02) != 0) throw Unsupported();  // unaligned or shared
      const auto data = in.take(size);
      ++count;
      if (type == continuation_message) {
        Fields continuation(data);
        const std::uint64_t at = continuation.number(address_size);
        if (!chunk_starts.insert(at).second) throw Unsupported();
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
  LocalHeap(std::span<const unsigned char> file, std::uint64_t address) {
    Fields in(file, address, 32);
    in.expect("HEAP");
    if (in.number(1) != 0) throw Unsupported();
    in.skip(3);
    const std::uint64_t size = in.number(length_size);
    in.skip(length_size);  // the free list
    data_ = Fields(file, in.number(address_size), size).rest();
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

class GroupReader {
 public:
  GroupReader(std::span<const unsigned char> file, std::set<std::uint64_t>& visited)
      : file_(file), visited_(visited) {}

  // The links of the group whose symbol table message is `message`, sorted by name.
  Links links(std::span<const unsigned char> message) {
    Fields in(message);
    const std::uint64_t tree = in.number(address_size);
    const LocalHeap heap(file_, in.number(address_size));
    Links links;
    read_tree(tree, heap, links, 0);
    std::sort(links.begin(), links.end());
    const auto same_name = [](const auto& a, const auto& b) { return a.first == b.first; };
    if (std::adjacent_find(links.begin(), links.end(), same_name) != links.end()) {
      throw Unsupported();
    }
    return links;
  }

 private:
  void visit(std::uint64_t address) {
    // No node is read twice, so a damaged file's loops and shared nodes cost nothing extra.
    if (!visited_.insert(address).second) throw Unsupported();
  }

  void read_tree(std::uint64_t address, const LocalHeap& heap, Links& links, unsigned depth) {
    visit(address);
    Fields in(file_, address, 24);
    in.expect("TREE");
    if (in.number(1) != 0) throw Unsupported();  // a group node
    const std::uint64_t level = in.number(1);
    const std::uint64_t entries = in.number(2);
    if (level > 64 || depth > 64) throw Unsupported();
    Fields keys_and_children(file_, address + 24,
                             entries * (length_size + address_size) + length_size);
    for (std::uint64_t i = 0; i < entries; ++i) {
      keys_and_children.skip(length_size);
      const std::uint64_t child = keys_and_children.number(address_size);
      if (level == 0) {
        read_symbol_node(child, heap, links);
      } else {
        read_tree(child, heap, links, depth + 1);
      }
    }
  }

  void read_symbol_node(std::uint64_t address, const LocalHeap& heap, Links& links) {
    visit(address);
    Fields in(file_, address, 8);
    in.expect("SNOD");
    if (in.number(1) != 1) throw Unsupported();
    in.skip(1);
    const std::uint64_t symbols = in.number(2);
    Fields entries(file_, address + 8, symbols * 40);
    for (std::uint64_t i = 0; i < symbols; ++i) {
      const std::uint64_t name = entries.number(address_size);
      const std::uint64_t header = entries.number(address_size);
      const std::uint64_t cache_type = entries.number(4);
      entries.skip(4 + 16);
      if (cache_type == 2 || header == undefined_address) throw Unsupported();  // a soft link
      links.emplace_back(heap.name(name), header);
    }
  }

  std::span<const unsigned char> file_;
  std::set<std::uint64_t>& visited_;
};

enum class Storage { none, compact, contiguous };

}  // namespace

struct Catalog::Object {
  ObjectKind kind = ObjectKind::other;
  Links links;  // a group's
  std::vector<Attribute> attributes;
  // A dataset's
  Datatype type;
  Dataspace space;
  Storage storage = Storage::none;
  std::uint64_t data_offset = undefined_address;
  std::uint64_t data_size = 0;
};

namespace {

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
  } else {
    throw Unsupported();  // chunked, possibly compressed
  }
}

Catalog::Object read_object(std::span<const unsigned char> file, std::uint64_t address,
                            std::set<std::uint64_t>& visited) {
  Catalog::Object object;
  bool typed = false;
  bool shaped = false;
  bool grouped = false;
  for (const Message& message : read_messages(file, address)) {
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
        read_layout(file, message.data, object);
        break;
      case attribute_message:
        object.attributes.push_back(read_attribute(message.data));
        break;
      case symbol_table_message:
        object.links = GroupReader(file, visited).links(message.data);
        grouped = true;
        break;
      default:
        throw Unsupported();  // new-style groups, dense attributes, filters, external files...
    }
  }
  const bool dataset = object.storage != Storage::none;
  if (grouped && (dataset || typed || shaped)) throw Unsupported();
  if (dataset && !(typed && shaped)) throw Unsupported();
  object.kind = grouped ? ObjectKind::group : dataset ? ObjectKind::dataset : ObjectKind::other;
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

std::optional<Catalog> Catalog::read(std::span<const unsigned char> file) {
  try {
    Fields superblock(file, 0, 96);
    superblock.expect("\x89HDF\r\n\x1a\n");  // at byte 0: no user block
    if (superblock.number(1) != 0 || superblock.number(1) != 0 || superblock.number(1) != 0) {
      return std::nullopt;  // superblock, free-space and root entry versions
    }
    superblock.skip(1);
    if (superblock.number(1) != 0 || superblock.number(1) != address_size ||
        superblock.number(1) != length_size) {
      return std::nullopt;
    }
    superblock.skip(1 + 2 + 2 + 4);  // group B-tree widths and consistency flags
    const std::uint64_t base = superblock.number(address_size);
    superblock.skip(address_size);  // free space
    const std::uint64_t end_of_file = superblock.number(address_size);
    const std::uint64_t driver = superblock.number(address_size);
    if (base != 0 || end_of_file > file.size() || driver != undefined_address) return std::nullopt;
    superblock.skip(address_size);  // the root's name in a heap
    Catalog catalog(file);
    catalog.root_ = superblock.number(address_size);

    std::set<std::uint64_t> visited;
    std::deque<std::uint64_t> pending{catalog.root_};
    while (!pending.empty()) {
      const std::uint64_t address = pending.front();
      pending.pop_front();
      if (catalog.objects_.contains(address)) continue;
      auto object = std::make_shared<Object>(read_object(file, address, visited));
      for (const auto& link : object->links) pending.push_back(link.second);
      catalog.objects_.emplace(address, std::move(object));
    }
    if (catalog.objects_.at(catalog.root_)->kind != ObjectKind::group) return std::nullopt;
    return catalog;
  } catch (const Unsupported&) {
    return std::nullopt;
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
    const std::uint64_t size = attribute->type.size;
    if (size == 0) return std::nullopt;
    const bool space_padded = (attribute->type.bits & 0x0f) == 2;
    for (std::uint64_t i = 0; i < count; ++i) {
      strings.push_back(
          fixed_string_element(attribute->data.subspan(i * size, size), space_padded));
    }
    return strings;
  }
  if (!is_variable_string(attribute->type)) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    HeapString string = read_heap_string(
        file_, attribute->data.subspan(i * variable_string_size, variable_string_size),
        address_size, 0, length_size, {});
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
  const std::uint64_t bytes = elements * sizeof(float);
  if (dataset.data_offset == undefined_address || dataset.data_size < bytes ||
      dataset.data_offset > file_.size() || file_.size() - dataset.data_offset < bytes) {
    return std::nullopt;
  }
  place.offset = dataset.data_offset;
  return place;
}

}  // namespace keras::io::hdf5
