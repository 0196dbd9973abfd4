// `infozoo mi`: Mutual information of five features with a nonlinear target (seed 1.1).
#include "experiments.h"

namespace infozoo::apps {

Experiment mi_experiment() {
  return not_implemented_experiment("mi", "Mutual information of five features with a nonlinear target (seed 1.1)");
}

}  // namespace infozoo::apps
