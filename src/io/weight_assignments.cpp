// SPDX-License-Identifier: Apache-2.0
#include "io/weight_assignments.h"

namespace keras::io {

void assign_all(hdf5::File& file, const std::vector<Assignment>& assignments) {
  file.close();
  for (const Assignment& assignment : assignments) {
    Variable variable = assignment.variable;
    variable.assign(assignment.value);
  }
}

}  // namespace keras::io
