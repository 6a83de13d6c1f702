// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "io/hdf5_file.h"
#include "keras/tensor.h"
#include "keras/variable.h"

#include <vector>

namespace keras::io {

/// A weight read from a file, assigned only once every weight of the file has been read and
/// checked, so that a failed load leaves the model as it was.
struct Assignment {
  Variable variable;
  Tensor value;
};

/// Closes `file` first, so that its helper process has ended when the variables are written
/// (while a forked process lives, every page the two share is copied on its first write), then
/// assigns every value. Values read as views of the file's image are not copied when they make
/// up nearly all of it (not so where the file's optimizer weights are left unread): each variable's
/// storage borrows its bytes there (detail::StorageAccess::share_bytes), which keeps the image
/// alive. Borrowed bytes start on a 64-byte boundary: kerascpp writes its datasets there, and a
/// value off one (h5py writes them where they fall) is first moved down to it inside the image,
/// where that overwrites no other value, and copied otherwise. Overlapping values (one dataset read
/// for two weights) are copied, so that no two variables ever share bytes.
void assign_all(hdf5::File& file, std::vector<Assignment> assignments);

}  // namespace keras::io
