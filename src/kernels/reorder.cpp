// SPDX-License-Identifier: Apache-2.0
#include "kernels/reorder.h"

#include "kernels/engine.h"
#include "kernels/transpose.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

namespace keras::kernels {
namespace {

// How oneDNN copies an element: as one value, or (8-byte dtypes, which oneDNN's reorder
// does not know) as two 32-bit words along an extra innermost axis; a copy is bitwise.
struct ElementWords {
  dnnl::memory::data_type type;
  std::int64_t count;
};

ElementWords element_words(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return {dnnl::memory::data_type::f32, 1};
    case DType::int32:
      return {dnnl::memory::data_type::s32, 1};
    case DType::uint8:
      return {dnnl::memory::data_type::u8, 1};
    case DType::float64:
    case DType::int64:
      return {dnnl::memory::data_type::s32, 2};
  }
  throw NotImplementedError(fmt::format("No oneDNN type for dtype {}", name_of(dtype)));
}

// Both layouts with size-1 axes dropped and neighbouring axes merged wherever both tensors
// store them as one run, so most copies reach oneDNN as a rank-2 or rank-3 transpose (its
// fastest path) and ranks above DNNL_MAX_NDIMS usually fit.
struct FoldedLayouts {
  dnnl::memory::dims dims, source_strides, destination_strides;
};

FoldedLayouts fold_axes(const Tensor& source, const Tensor& destination) {
  FoldedLayouts folded;
  for (int axis = 0; axis < source.rank(); ++axis) {
    const auto size = source.shape()[static_cast<std::size_t>(axis)];
    if (size == 1) continue;
    const auto from = source.strides()[static_cast<std::size_t>(axis)];
    const auto to = destination.strides()[static_cast<std::size_t>(axis)];
    if (!folded.dims.empty() && folded.source_strides.back() == from * size &&
        folded.destination_strides.back() == to * size) {
      folded.dims.back() *= size;
      folded.source_strides.back() = from;
      folded.destination_strides.back() = to;
    } else {
      folded.dims.push_back(size);
      folded.source_strides.push_back(from);
      folded.destination_strides.push_back(to);
    }
  }
  if (folded.dims.empty()) folded = {{1}, {1}, {1}};
  return folded;
}

// A copy that transposes a batch of row-major matrices: the source stores (count, rows,
// columns), the destination (count, columns, rows); the logical axes are (count,) columns,
// rows. Flatten of channels_first feature maps is one: rows are channels, columns pixels.
std::optional<WordMatrices> as_transposes(const FoldedLayouts& folded) {
  const auto rank = folded.dims.size();
  if (rank < 2 || rank > 3) return std::nullopt;
  const WordMatrices matrices{rank == 3 ? folded.dims[0] : 1, folded.dims[rank - 1],
                              folded.dims[rank - 2]};
  const auto matrix_size = matrices.rows * matrices.columns;
  const bool transposed = folded.source_strides[rank - 2] == 1 &&
                          folded.source_strides[rank - 1] == matrices.columns &&
                          folded.destination_strides[rank - 2] == matrices.rows &&
                          folded.destination_strides[rank - 1] == 1;
  const bool packed = rank == 2 || (folded.source_strides[0] == matrix_size &&
                                    folded.destination_strides[0] == matrix_size);
  if (!transposed || !packed) return std::nullopt;
  return matrices;
}

}  // namespace

void copy_strided(const Tensor& source, Tensor& destination) {
  if (source.shape() != destination.shape() || source.dtype() != destination.dtype()) {
    throw ValueError("copy_strided: source and destination differ in shape or dtype");
  }
  if (source.size() == 0) return;
  if (source.is_contiguous() && destination.is_contiguous()) {
    std::memcpy(destination.raw_data(), source.raw_data(), source.nbytes());
    return;
  }
  FoldedLayouts folded = fold_axes(source, destination);
  if (size_of(source.dtype()) == 4) {
    const auto matrices = as_transposes(folded);
    if (matrices && transpose_words(source.raw_data(), destination.raw_data(), *matrices)) return;
  }
  const auto [type, words] = element_words(source.dtype());
  if (words > 1) {
    for (auto* strides : {&folded.source_strides, &folded.destination_strides}) {
      for (auto& stride : *strides) stride *= words;
      strides->push_back(1);
    }
    folded.dims.push_back(words);
  }
  if (folded.dims.size() > DNNL_MAX_NDIMS) {
    throw NotImplementedError(
        fmt::format("A strided copy of rank {} does not fold to oneDNN's limit of {} axes",
                    source.rank(), DNNL_MAX_NDIMS));
  }
  auto& engine = cpu_engine();
  dnnl::memory from({folded.dims, type, folded.source_strides}, engine,
                    const_cast<void*>(source.raw_data()));
  dnnl::memory to({folded.dims, type, folded.destination_strides}, engine, destination.raw_data());
  dnnl::reorder(from, to).execute(cpu_stream(), from, to);
  cpu_stream().wait();
}

}  // namespace keras::kernels
