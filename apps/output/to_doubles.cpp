// SPDX-License-Identifier: BSD-3-Clause
#include "output/to_doubles.h"

#include <ATen/ATen.h>

namespace infozoo::apps {

std::vector<double> to_doubles(const at::Tensor& t) {
  const auto c = t.detach().to(at::kCPU, at::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace infozoo::apps
