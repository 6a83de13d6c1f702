// SPDX-License-Identifier: Apache-2.0
#include "kernels/image_descs.h"

namespace keras::kernels {

using dnnl::memory;
using tag = memory::format_tag;

memory::dims logical_dims(const std::vector<std::int64_t>& shape, DataFormat format,
                          ImageLayout layout) {
  const std::vector<std::int64_t> image = nhwc_shape(shape, layout);
  if (format == DataFormat::channels_first) return {image[0], image[1], image[2], image[3]};
  return {image[0], image[3], image[1], image[2]};
}

std::vector<std::int64_t> tensor_shape(const memory::dims& nchw, DataFormat format,
                                       ImageLayout layout) {
  if (format == DataFormat::channels_first) return {nchw[0], nchw[1], nchw[2], nchw[3]};
  return image_shape({nchw[0], nchw[2], nchw[3], nchw[1]}, layout);
}

memory::desc plain_desc(const memory::dims& nchw, DataFormat format) {
  return {nchw, memory::data_type::f32,
          format == DataFormat::channels_first ? tag::nchw : tag::nhwc};
}

memory::desc image_desc(const memory::dims& nchw, DataFormat format, ImageLayout layout) {
  if (layout == ImageLayout::channel_blocks) return {nchw, memory::data_type::f32, tag::nChw16c};
  return plain_desc(nchw, format);
}

}  // namespace keras::kernels
