// SPDX-License-Identifier: BSD-3-Clause
// Uses infozoo built as a subproject with shared libraries: a module, its state_dict file and a
// function, each checked against a closed form; exits non-zero on a wrong value.
#include <infozoo/analysis/entropy.h>
#include <infozoo/io/state_dict.h>
#include <infozoo/models/multi_head_attention.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <iostream>

int main() {
  const double bits =
      infozoo::analysis::entropy(torch::full({8}, 0.125, torch::kDouble)).item<double>();
  if (std::abs(bits - 3.0) > 1e-9) {  // the seed's + 1e-10 inside the log moves it by ~1e-9
    std::cerr << "entropy of a uniform 8-way distribution: expected 3 bits, got " << bits << "\n";
    return 1;
  }
  torch::manual_seed(0);
  infozoo::models::MultiHeadAttention a(infozoo::models::MultiHeadAttentionOptions(8, 2));
  infozoo::models::MultiHeadAttention b(infozoo::models::MultiHeadAttentionOptions(8, 2));
  const std::string path = "subproject_mha.pt";
  infozoo::io::save_state_dict(*a, path);
  infozoo::io::load_state_dict(*b, path);
  std::remove(path.c_str());
  const auto x = torch::randn({1, 3, 8});
  if (!torch::equal(a(x, x, x), b(x, x, x))) {
    std::cerr << "MultiHeadAttention: a state_dict round trip changed the output\n";
    return 1;
  }
  std::cout << "infozoo subproject consumer (shared libraries): " << bits << " bits, " << a << "\n";
  return 0;
}
