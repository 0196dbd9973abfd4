// `infozoo infonce`: InfoNCE loss temperature sweep (seed 7.2).
#include "experiments.h"

namespace infozoo::apps {

Experiment infonce_experiment() {
  return not_implemented_experiment("infonce", "InfoNCE loss temperature sweep (seed 7.2)");
}

}  // namespace infozoo::apps
