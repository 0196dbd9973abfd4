// SPDX-License-Identifier: BSD-3-Clause
#include "experiments/catalog.h"

namespace infozoo::apps {

const std::vector<Subcommand>& experiments() {
  // One per line, in the seed's order (clang-format would pack them two to a line).
  // clang-format off
  static const std::vector<Subcommand> all = {
      mi_experiment(),
      info_gain_experiment(),
      temperature_experiment(),
      distill_experiment(),
      softmax_experiment(),
      jacobian_experiment(),
      mlp_experiment(),
      norms_experiment(),
      attention_experiment(),
      scaling_experiment(),
      mha_experiment(),
      posenc_experiment(),
      calculus_experiment(),
      feature_select_experiment(),
      mi_hist_experiment(),
      estimators_experiment(),
      infonce_experiment(),
      infonce_bound_experiment(),
      diffusion_experiment(),
      diffusion_mi_experiment(),
      ddpm_experiment(),          // not in `infozoo all` (in_all = false)
      contrastive_experiment()};  // not in `infozoo all` (in_all = false)
  // clang-format on
  return all;
}

}  // namespace infozoo::apps
