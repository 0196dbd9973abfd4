// `infozoo feature-select`: Feature selection by mutual information, then mRMR (seed 6.2).
#include "experiments.h"

namespace infozoo::apps {

Experiment feature_select_experiment() {
  return not_implemented_experiment("feature-select", "Feature selection by mutual information, then mRMR (seed 6.2)");
}

}  // namespace infozoo::apps
