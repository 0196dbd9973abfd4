// SPDX-License-Identifier: BSD-3-Clause
// The experiments: one subcommand per section of the seed, each defined in the file of its name.
#pragma once

#include <vector>

#include "cli/subcommand.h"

namespace infozoo::apps {

/// Every experiment, in the order of the seed's sections; `infozoo all` runs them in this order.
/// Example: `run_cli(experiments(), {"mi", "--json"}, std::cout, std::cerr);`
const std::vector<Subcommand>& experiments();

Subcommand mi_experiment();              ///< seed 1.1, mi.cpp
Subcommand info_gain_experiment();       ///< seed 1.2, info_gain.cpp
Subcommand temperature_experiment();     ///< seed 1.3, temperature.cpp
Subcommand distill_experiment();         ///< seed 2.1, temperature in distillation, distill.cpp
Subcommand softmax_experiment();         ///< seed 2.2, softmax.cpp
Subcommand jacobian_experiment();        ///< seed 2.3, jacobian.cpp
Subcommand mlp_experiment();             ///< seed 3.2, mlp.cpp
Subcommand norms_experiment();           ///< interview: BatchNorm vs LayerNorm, norms.cpp
Subcommand attention_experiment();       ///< seed 4.1, attention.cpp
Subcommand scaling_experiment();         ///< seed 4.1, why divide by sqrt(dk), scaling.cpp
Subcommand mha_experiment();             ///< seed 4.2, mha.cpp
Subcommand posenc_experiment();          ///< seed 4.3, posenc.cpp
Subcommand calculus_experiment();        ///< seed 5.1-5.2, calculus.cpp
Subcommand feature_select_experiment();  ///< seed 6.2, feature_select.cpp
Subcommand mi_hist_experiment();         ///< seed 6.3, mi_hist.cpp
Subcommand estimators_experiment();      ///< issue 14: estimators vs known MI, estimators.cpp
Subcommand infonce_experiment();         ///< seed 7.2, infonce.cpp
Subcommand infonce_bound_experiment();   ///< seed 7.1, InfoNCE as an MI bound, infonce_bound.cpp
Subcommand diffusion_experiment();       ///< seed 8.3, diffusion.cpp
Subcommand diffusion_mi_experiment();    ///< seed 8.1, I(X0; Xt) by KSG, diffusion_mi.cpp
Subcommand ddpm_experiment();            ///< seed 8.2, train and sample a denoiser, ddpm.cpp
Subcommand contrastive_experiment();  ///< beyond the seed: (distributed) InfoNCE, contrastive.cpp

}  // namespace infozoo::apps
