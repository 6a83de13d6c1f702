// SPDX-License-Identifier: Apache-2.0
// Keras 3 `.keras` archives: the input is the file load_model reads (format found by content).
#include "helper_processes.h"
#include "scratch_folder.h"

#include <keras/error.h>
#include <keras/models/load_model.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  keras::fuzz::prepare_hdf5_helper_processes();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keras::fuzz::ScratchFolder folder;
  const std::string path = folder.write("model.keras", keras::fuzz::as_text(data, size));
  try {
    (void)keras::models::load_model(path);
  } catch (const keras::Error&) {
    // A malformed file must be refused with keras::Error; anything else fails the fuzzer.
  }
  return 0;
}
