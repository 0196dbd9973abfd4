// `infozoo info-gain`: Information gain of a perfect and a random split (seed 1.2).
#include "experiments.h"

namespace infozoo::apps {

Experiment info_gain_experiment() {
  return not_implemented_experiment("info-gain", "Information gain of a perfect and a random split (seed 1.2)");
}

}  // namespace infozoo::apps
