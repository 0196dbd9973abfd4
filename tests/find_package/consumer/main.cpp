// Uses one function and one module from the installed infozoo package; exits non-zero on a wrong value.
#include <infozoo/analysis/entropy.h>
#include <torch/torch.h>

#include <cmath>
#include <iostream>

int main() {
  const auto bits = infozoo::analysis::entropy(torch::full({4}, 0.25, torch::kDouble)).item<double>();
  if (std::abs(bits - 2.0) > 1e-12) {
    std::cerr << "entropy of a uniform 4-way distribution: expected 2 bits, got " << bits << "\n";
    return 1;
  }
  std::cout << "infozoo consumer: entropy = " << bits << " bits\n";
  return 0;
}
