// `infozoo attention`: Scaled dot-product attention (seed 4.1).
#include "experiments.h"

namespace infozoo::apps {

Experiment attention_experiment() {
  return not_implemented_experiment("attention", "Scaled dot-product attention (seed 4.1)");
}

}  // namespace infozoo::apps
