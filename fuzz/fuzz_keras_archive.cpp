// SPDX-License-Identifier: Apache-2.0
// Keras 3 `.keras` archives: the input is the file load_model reads (format found by content).
#include "io/hdf5_reader_process.h"
#include "scratch_folder.h"

#include <keras/error.h>
#include <keras/models/load_model.h>

// HDF5 reads in a helper process; one that hangs is given up on before libFuzzer's -timeout=10
// would report the hang, so the fuzzer sees the FileError a user would get.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  keras::io::hdf5::ReaderProcess::set_reply_timeout(std::chrono::seconds(5));
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
