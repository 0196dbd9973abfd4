// `infozoo jacobian`: Softmax and its Jacobian (seed 2.3).
#include "experiments.h"

namespace infozoo::apps {

Experiment jacobian_experiment() {
  return not_implemented_experiment("jacobian", "Softmax and its Jacobian (seed 2.3)");
}

}  // namespace infozoo::apps
