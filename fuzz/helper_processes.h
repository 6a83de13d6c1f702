// SPDX-License-Identifier: Apache-2.0
// HDF5 reads in a helper process forked from the fuzzer (src/io/child_process.h). A damaged
// file may crash HDF5 there: the loader turns that into a FileError, which is what users get,
// so it is not a finding. But the helper inherits libFuzzer's death callback, which would save
// the input as a crash artifact from inside the helper; forked helpers run without it.
#pragma once

#include "io/hdf5_reader_process.h"

#include <chrono>
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>

namespace keras::fuzz {

inline void prepare_hdf5_helper_processes() {
  ::pthread_atfork(nullptr, nullptr, [] { __sanitizer_set_death_callback(nullptr); });
  // A helper that hangs is given up on before libFuzzer's -timeout=10 would report the hang.
  io::hdf5::ReaderProcess::set_reply_timeout(std::chrono::seconds(5));
}

}  // namespace keras::fuzz
