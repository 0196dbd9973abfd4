// `infozoo temperature`: Softmax temperature sweep with entropy (seed 1.3).
#include "experiments.h"

namespace infozoo::apps {

Experiment temperature_experiment() {
  return not_implemented_experiment("temperature", "Softmax temperature sweep with entropy (seed 1.3)");
}

}  // namespace infozoo::apps
