// SPDX-License-Identifier: BSD-3-Clause
// Ranks the columns of a table by their mutual information (nats) with a class-label column, as
// scikit-learn's mutual_info_classif would on the same numbers:
//   rank_columns data.csv label
// Without arguments it ranks a small table built in memory (a column that follows the label, one
// that follows it through a square, and noise) and exits non-zero unless the noise ranks last.
#include <infozoo/analysis/feature_selection.h>
#include <infozoo/analysis/mutual_info.h>
#include <infozoo/io/table.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>

namespace {

// label in {0, 1, 2}; "linear" = label + noise, "square" = (label - 1)^2 + noise, "noise" alone.
std::string demo_csv() {
  torch::manual_seed(0);
  const int64_t n = 400;
  const auto label = torch::randint(0, 3, {n}, torch::kLong);
  const auto noise = torch::randn({3, n}, torch::kDouble);
  std::ostringstream csv;
  csv.precision(17);  // every double round-trips
  csv << "linear,square,noise,label\n";
  for (int64_t i = 0; i < n; ++i) {
    const auto l = static_cast<double>(label[i].item<int64_t>());
    csv << l + 0.4 * noise[0][i].item<double>() << ','
        << (l - 1) * (l - 1) + 0.2 * noise[1][i].item<double>() << ',' << noise[2][i].item<double>()
        << ',' << label[i].item<int64_t>() << '\n';
  }
  return csv.str();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto options =
        infozoo::io::ReadTableOptions().target_column(argc >= 3 ? argv[2] : "label");
    infozoo::io::Table table;
    if (argc >= 2) {
      table = infozoo::io::read_table(argv[1], options);
    } else {
      std::istringstream in(demo_csv());
      table = infozoo::io::read_csv(in, "demo table", options);
    }
    // The target is stored last: the other columns are a view of the same matrix.
    const int64_t p = table.values.size(1) - 1;
    const auto X = table.values.slice(1, 0, p);
    const auto y = table.values.select(1, p);
    std::vector<bool> discrete(table.categorical.begin(), table.categorical.end() - 1);
    const auto mi = infozoo::analysis::mutual_info_classif(
        X, y,
        infozoo::analysis::MutualInfoOptions()
            .discrete_features(infozoo::analysis::DiscreteFeatures::from_mask(discrete))
            .random_state(0));
    const auto order = infozoo::analysis::rank_by_score(mi);
    std::printf("MI with '%s' (nats), %lld rows:\n", table.names.back().c_str(),
                static_cast<long long>(table.values.size(0)));
    for (const int64_t j : order) {
      std::printf("  %-12s %.4f%s\n", table.names[j].c_str(), mi[j].item<double>(),
                  table.categorical[j] ? "  (text column, coded)" : "");
    }
    if (argc < 2 && table.names[order.back()] != "noise") {
      std::fprintf(stderr, "rank_columns: expected the noise column last\n");
      return 1;
    }
  } catch (const c10::Error& e) {  // a bad file: one line naming it, without LibTorch's backtrace
    std::fprintf(stderr, "rank_columns: %s\n", e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rank_columns: %s\n", e.what());
    return 1;
  }
  return 0;
}
