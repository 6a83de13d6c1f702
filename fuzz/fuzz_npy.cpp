// SPDX-License-Identifier: Apache-2.0
// NumPy `.npy` files: the input is the file load_npy reads.
#include "scratch_folder.h"

#include <keras/error.h>
#include <keras/utils/npy.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keras::fuzz::ScratchFolder folder;
  const std::string path = folder.write("array.npy", keras::fuzz::as_text(data, size));
  try {
    (void)keras::utils::load_npy(path);
  } catch (const keras::Error&) {
    // A malformed file must be refused with keras::Error; anything else fails the fuzzer.
  }
  return 0;
}
