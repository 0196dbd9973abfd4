// One factory per subcommand; each is defined in the apps/ file of the same name.
#pragma once

#include "experiment.h"

namespace infozoo::apps {

Experiment mi_experiment();              // seed 1.1, mi.cpp
Experiment info_gain_experiment();       // seed 1.2, info_gain.cpp
Experiment temperature_experiment();     // seed 1.3, temperature.cpp
Experiment softmax_experiment();         // seed 2.2, softmax.cpp
Experiment jacobian_experiment();        // seed 2.3, jacobian.cpp
Experiment mlp_experiment();             // seed 3.2, mlp.cpp
Experiment attention_experiment();       // seed 4.1, attention.cpp
Experiment mha_experiment();             // seed 4.2, mha.cpp
Experiment posenc_experiment();          // seed 4.3, posenc.cpp
Experiment calculus_experiment();        // seed 5.1-5.2, calculus.cpp
Experiment feature_select_experiment();  // seed 6.2, feature_select.cpp
Experiment mi_hist_experiment();         // seed 6.3, mi_hist.cpp
Experiment infonce_experiment();         // seed 7.2, infonce.cpp
Experiment diffusion_experiment();       // seed 8.3, diffusion.cpp
Experiment contrastive_experiment();     // beyond the seed: (distributed) InfoNCE training, contrastive.cpp

/// A subcommand whose experiment is not written yet: exits 1 saying so.
Experiment not_implemented_experiment(std::string name, std::string description);

}  // namespace infozoo::apps
