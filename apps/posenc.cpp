// `infozoo posenc`: Sinusoidal positional encoding (seed 4.3).
#include "experiments.h"

namespace infozoo::apps {

Experiment posenc_experiment() {
  return not_implemented_experiment("posenc", "Sinusoidal positional encoding (seed 4.3)");
}

}  // namespace infozoo::apps
