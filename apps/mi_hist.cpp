// `infozoo mi-hist`: Histogram mutual information vs Pearson correlation (seed 6.3).
#include "experiments.h"

namespace infozoo::apps {

Experiment mi_hist_experiment() {
  return not_implemented_experiment("mi-hist", "Histogram mutual information vs Pearson correlation (seed 6.3)");
}

}  // namespace infozoo::apps
