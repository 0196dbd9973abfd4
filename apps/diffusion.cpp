// `infozoo diffusion`: Information loss along a diffusion noise schedule (seed 8.3).
#include "experiments.h"

namespace infozoo::apps {

Experiment diffusion_experiment() {
  return not_implemented_experiment("diffusion", "Information loss along a diffusion noise schedule (seed 8.3)");
}

}  // namespace infozoo::apps
