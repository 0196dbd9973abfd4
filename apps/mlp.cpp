// `infozoo mlp`: Two-layer MLP with hand-written backprop on make_moons (seed 3.2).
#include "experiments.h"

namespace infozoo::apps {

Experiment mlp_experiment() {
  return not_implemented_experiment("mlp", "Two-layer MLP with hand-written backprop on make_moons (seed 3.2)");
}

}  // namespace infozoo::apps
