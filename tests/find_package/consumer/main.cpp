// SPDX-License-Identifier: BSD-3-Clause
// Uses one function and one module from the installed infozoo package; exits non-zero on a wrong
// value.
#include <infozoo/analysis/entropy.h>
#include <infozoo/models/diffusion_schedule.h>
#include <torch/torch.h>

#include <cmath>
#include <iostream>

int main() {
  const auto bits =
      infozoo::analysis::entropy(torch::full({4}, 0.25, torch::kDouble)).item<double>();
  if (std::abs(bits - 2.0) > 1e-12) {
    std::cerr << "entropy of a uniform 4-way distribution: expected 2 bits, got " << bits << "\n";
    return 1;
  }
  infozoo::models::DiffusionSchedule schedule(infozoo::models::DiffusionScheduleOptions(1000));
  const auto keys = schedule->named_buffers().keys();
  const auto alpha_bar_0 = schedule->alpha_bar[0].item<double>();
  if (keys.size() != 3 || std::abs(alpha_bar_0 - (1.0 - 1e-4)) > 1e-7) {
    std::cerr << "DiffusionSchedule: expected 3 buffers and alpha_bar[0] = 1 - 1e-4, got "
              << keys.size() << " and " << alpha_bar_0 << "\n";
    return 1;
  }
  std::cout << "infozoo consumer: entropy = " << bits << " bits, " << schedule << "\n";
  return 0;
}
