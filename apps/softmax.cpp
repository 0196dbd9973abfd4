// `infozoo softmax`: Naive softmax overflows, stable softmax does not (seed 2.2).
#include "experiments.h"

namespace infozoo::apps {

Experiment softmax_experiment() {
  return not_implemented_experiment("softmax", "Naive softmax overflows, stable softmax does not (seed 2.2)");
}

}  // namespace infozoo::apps
