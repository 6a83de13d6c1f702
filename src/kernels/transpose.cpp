// SPDX-License-Identifier: Apache-2.0
// Batched transposes of 4-byte words: the copy behind Flatten of channels_first feature maps
// and Permute. oneDNN 2.6 runs them as a jit:uni reorder that gathers one element per
// instruction (3.4-3.7 GiB/s per thread); 16 x 16 tiles transposed in AVX-512 registers copy
// 25-50 GiB/s in cache (docs/benchmarks.md). Layout glue, no arithmetic: the shuffles move
// bits without looking at them, so int32 and NaN payloads come through unchanged.
#include "kernels/transpose.h"

#include "kernels/openmp.h"

#include <algorithm>
#include <cstdint>

#if defined(__x86_64__)
// GCC 12's own AVX-512 headers (their `_mm512_undefined_ps`) trip -Wuninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace keras::kernels {
namespace {

#if defined(__x86_64__)
#define KERAS_AVX512 __attribute__((target("avx512f")))
// The tile helpers must inline, or the 16 registers go through the stack at every call.
#define KERAS_AVX512_INLINE __attribute__((target("avx512f"), always_inline)) inline

constexpr std::int64_t tile_size = 16;
// Below this much per thread, waking another thread costs more than it saves (measured on
// the Flatten benchmark: 256 KiB is faster on one thread, 1 MiB on two).
constexpr std::int64_t bytes_per_thread = std::int64_t{512} << 10;
// From here on the output would not stay in a typical last-level cache: non-temporal stores
// write it without first reading each line into the cache (16 MiB: 21 -> 38 GiB/s).
constexpr std::int64_t streaming_bytes = std::int64_t{8} << 20;

KERAS_AVX512_INLINE __m512 interleave_low_pairs(__m512 a, __m512 b) {
  return _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(a), _mm512_castps_pd(b)));
}

KERAS_AVX512_INLINE __m512 interleave_high_pairs(__m512 a, __m512 b) {
  return _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(a), _mm512_castps_pd(b)));
}

// The 128-bit lanes 0 and 2 of a, then of b, into even; lanes 1 and 3 into odd.
KERAS_AVX512_INLINE void split_lanes(__m512 a, __m512 b, __m512& even, __m512& odd) {
  even = _mm512_shuffle_f32x4(a, b, 0x88);
  odd = _mm512_shuffle_f32x4(a, b, 0xdd);
}

// Row i of the 16 x 16 tile in v[i] becomes column i: words, then pairs of words, then
// 128-bit lanes in two steps. Unrolled so that the tile stays in registers.
KERAS_AVX512_INLINE void transpose_registers(__m512 (&v)[16]) {
  __m512 t[16];
#pragma GCC unroll 8
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(v[i], v[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(v[i], v[i + 1]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < 16; i += 4) {
    v[i] = interleave_low_pairs(t[i], t[i + 2]);
    v[i + 1] = interleave_high_pairs(t[i], t[i + 2]);
    v[i + 2] = interleave_low_pairs(t[i + 1], t[i + 3]);
    v[i + 3] = interleave_high_pairs(t[i + 1], t[i + 3]);
  }
#pragma GCC unroll 4
  for (int r = 0; r < 4; ++r) {
    split_lanes(v[r], v[4 + r], t[r], t[4 + r]);
    split_lanes(v[8 + r], v[12 + r], t[8 + r], t[12 + r]);
  }
#pragma GCC unroll 4
  for (int r = 0; r < 4; ++r) {
    split_lanes(t[r], t[8 + r], v[r], v[8 + r]);
    split_lanes(t[4 + r], t[12 + r], v[4 + r], v[12 + r]);
  }
}

template <bool Streaming>
KERAS_AVX512 void transpose_full_tile(const float* from, std::int64_t from_stride, float* to,
                                      std::int64_t to_stride) {
  __m512 v[16];
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) v[i] = _mm512_loadu_ps(from + i * from_stride);
  transpose_registers(v);
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) {
    if constexpr (Streaming) {
      _mm512_stream_ps(to + i * to_stride, v[i]);
    } else {
      _mm512_storeu_ps(to + i * to_stride, v[i]);
    }
  }
}

// A tile cut by the matrix's edge: masked loads and stores touch only its words.
KERAS_AVX512 void transpose_edge_tile(const float* from, std::int64_t from_stride, float* to,
                                      std::int64_t to_stride, int rows, int columns) {
  const auto column_mask = static_cast<__mmask16>((1U << columns) - 1U);
  const auto row_mask = static_cast<__mmask16>((1U << rows) - 1U);
  __m512 v[16];
  for (int i = 0; i < 16; ++i) {
    v[i] =
        i < rows ? _mm512_maskz_loadu_ps(column_mask, from + i * from_stride) : _mm512_setzero_ps();
  }
  transpose_registers(v);
  for (int i = 0; i < columns; ++i) _mm512_mask_storeu_ps(to + i * to_stride, row_mask, v[i]);
}

// Columns [first, end) of one matrix, tile row by tile row: each source row is read in
// order, and each tile's stores fill whole cache lines of the destination.
template <bool Streaming>
KERAS_AVX512 void transpose_columns(const float* source, float* destination, std::int64_t rows,
                                    std::int64_t columns, std::int64_t first, std::int64_t end) {
  for (std::int64_t row = 0; row < rows; row += tile_size) {
    const auto tile_rows = static_cast<int>(std::min(tile_size, rows - row));
    for (std::int64_t column = first; column < end; column += tile_size) {
      const auto tile_columns = static_cast<int>(std::min(tile_size, end - column));
      const float* from = source + row * columns + column;
      float* to = destination + column * rows + row;
      if (tile_rows == tile_size && tile_columns == tile_size) {
        transpose_full_tile<Streaming>(from, columns, to, rows);
      } else {
        transpose_edge_tile(from, columns, to, rows, tile_rows, tile_columns);
      }
    }
  }
  if constexpr (Streaming) _mm_sfence();
}

// The matrices' column tiles, numbered across the batch, split evenly between the threads.
template <bool Streaming>
KERAS_AVX512 void transpose_share(const float* source, float* destination,
                                  const WordMatrices& matrices, int thread, int threads) {
  const std::int64_t tiles_per_matrix = (matrices.columns + tile_size - 1) / tile_size;
  const std::int64_t tiles = matrices.count * tiles_per_matrix;
  const std::int64_t matrix_size = matrices.rows * matrices.columns;
  std::int64_t tile = tiles * thread / threads;
  const std::int64_t end_tile = tiles * (thread + 1) / threads;
  while (tile < end_tile) {
    const std::int64_t matrix = tile / tiles_per_matrix;
    const std::int64_t matrix_end_tile = std::min(end_tile, (matrix + 1) * tiles_per_matrix);
    const std::int64_t first = (tile - matrix * tiles_per_matrix) * tile_size;
    const std::int64_t end =
        std::min(matrices.columns, (matrix_end_tile - matrix * tiles_per_matrix) * tile_size);
    transpose_columns<Streaming>(source + matrix * matrix_size, destination + matrix * matrix_size,
                                 matrices.rows, matrices.columns, first, end);
    tile = matrix_end_tile;
  }
}

bool cpu_has_avx512() {
  static const bool has = __builtin_cpu_supports("avx512f") != 0;
  return has;
}
#endif

}  // namespace

bool transpose_words(const void* source, void* destination, const WordMatrices& matrices) {
#if defined(__x86_64__)
  // Thinner matrices fill few words of each tile; oneDNN's reorder copies them as fast or
  // faster (3 channels: 15.5 against 11.6 GB/s).
  if (!cpu_has_avx512() || matrices.rows < tile_size || matrices.columns < tile_size) {
    return false;
  }
  const std::int64_t bytes = matrices.count * matrices.rows * matrices.columns * 4;
  const bool streaming = bytes >= streaming_bytes && matrices.rows % tile_size == 0 &&
                         reinterpret_cast<std::uintptr_t>(destination) % 64 == 0;
  const auto threads = static_cast<int>(
      std::clamp<std::int64_t>(bytes / bytes_per_thread, 1, openmp::usable_threads()));
  const auto* from = static_cast<const float*>(source);
  auto* to = static_cast<float*>(destination);
  openmp::run_on_threads(threads, [&](int thread, int count) {
    if (streaming) {
      transpose_share<true>(from, to, matrices, thread, count);
    } else {
      transpose_share<false>(from, to, matrices, thread, count);
    }
  });
  return true;
#else
  (void)source, (void)destination, (void)matrices;
  return false;
#endif
}

}  // namespace keras::kernels
