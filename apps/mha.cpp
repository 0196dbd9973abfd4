// `infozoo mha`: Multi-head attention (seed 4.2).
#include "experiments.h"

namespace infozoo::apps {

Experiment mha_experiment() {
  return not_implemented_experiment("mha", "Multi-head attention (seed 4.2)");
}

}  // namespace infozoo::apps
