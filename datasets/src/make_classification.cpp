// SPDX-License-Identifier: BSD-3-Clause
// scikit-learn 1.2.1's make_classification and _generate_hypercube
// (sklearn/datasets/_samples_generator.py), step for step: the same draws from the same
// generator in the same order, and np.dot rounded as OpenBLAS rounds it (numpy_dot.h).
#include "infozoo/datasets/make_classification.h"

#include <ATen/ATen.h>

#include <cmath>
#include <vector>

#include "check_random_state.h"
#include "infozoo/datasets/sample_without_replacement.h"
#include "numpy_dot.h"

namespace infozoo::datasets {
namespace {

// Row-major float64 matrix, the layout numpy gives X.
struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> v;
  Matrix(int64_t r, int64_t c) : rows(r), cols(c), v(static_cast<size_t>(r * c), 0.0) {}
  double& at(int64_t i, int64_t j) { return v[static_cast<size_t>(i * cols + j)]; }
};

std::vector<double> draw_uniform(NumpyRandomState& rng, int64_t n) {
  std::vector<double> out(static_cast<size_t>(n));
  for (auto& u : out) u = rng.next_double();
  return out;
}

// _generate_hypercube: `samples` distinct vertices of {0, 1}^dimensions, as 0/1 rows.
Matrix generate_hypercube(int64_t samples, int64_t dimensions, NumpyRandomState& rng) {
  Matrix out(samples, dimensions);
  int64_t low_dims = dimensions;
  if (dimensions > 30) {
    // The leading columns are free coin flips (rng.randint(2, size=...)), drawn first.
    const int64_t extra = dimensions - 30;
    for (int64_t i = 0; i < samples; ++i) {
      for (int64_t j = 0; j < extra; ++j) {
        out.at(i, j) = static_cast<double>(rng.next_int(0, 2));
      }
    }
    low_dims = 30;
  }
  const auto vertices = sample_without_replacement(int64_t{1} << low_dims, samples, "auto", rng);
  const auto* p = vertices.data_ptr<int64_t>();
  const int64_t first = dimensions - low_dims;
  for (int64_t i = 0; i < samples; ++i) {
    // np.unpackbits of the big-endian value keeps the low bits, most significant first.
    for (int64_t b = 0; b < low_dims; ++b) {
      out.at(i, first + b) = static_cast<double>((p[i] >> (low_dims - 1 - b)) & 1);
    }
  }
  return out;
}

void check_options(const MakeClassificationOptions& o) {
  TORCH_CHECK(o.n_samples() >= 0, "make_classification: n_samples must be >= 0, got ",
              o.n_samples());
  TORCH_CHECK(o.n_informative() >= 1, "make_classification: n_informative must be >= 1, got ",
              o.n_informative());
  TORCH_CHECK(o.n_redundant() >= 0 && o.n_repeated() >= 0,
              "make_classification: n_redundant and n_repeated must be >= 0, got n_redundant=",
              o.n_redundant(), ", n_repeated=", o.n_repeated());
  TORCH_CHECK(o.n_classes() >= 1 && o.n_clusters_per_class() >= 1,
              "make_classification: n_classes and n_clusters_per_class must be >= 1, got "
              "n_classes=",
              o.n_classes(), ", n_clusters_per_class=", o.n_clusters_per_class());
  TORCH_CHECK(o.n_informative() + o.n_redundant() + o.n_repeated() <= o.n_features(),
              "Number of informative, redundant and repeated features must sum to less than the "
              "number of total features, got n_informative=",
              o.n_informative(), " + n_redundant=", o.n_redundant(),
              " + n_repeated=", o.n_repeated(), " > n_features=", o.n_features());
  // 2**n_informative vertices must hold one cluster each (log2 avoids the overflow, as sklearn).
  TORCH_CHECK(static_cast<double>(o.n_informative()) >=
                  std::log2(static_cast<double>(o.n_classes()) *
                            static_cast<double>(o.n_clusters_per_class())),
              "n_classes(", o.n_classes(), ") * n_clusters_per_class(", o.n_clusters_per_class(),
              ") must be smaller or equal 2**n_informative(", o.n_informative(), ")");
  const auto n_weights = static_cast<int64_t>(o.weights().size());
  TORCH_CHECK(n_weights == 0 || n_weights == o.n_classes() || n_weights == o.n_classes() - 1,
              "Weights specified but incompatible with number of classes: weights needs ",
              o.n_classes(), " or ", o.n_classes() - 1, " entries for n_classes=", o.n_classes(),
              ", got ", n_weights);
  for (const double w : o.weights()) {
    TORCH_CHECK(std::isfinite(w) && w >= 0.0,
                "make_classification: weights must be finite and >= 0, got ", w);
  }
  TORCH_CHECK(std::isfinite(o.class_sep()), "make_classification: class_sep must be finite, got ",
              o.class_sep());
}

// make_classification's arrays; `columns` (when given) receives, for each column of X, the column
// of the unshuffled X it came from (the identity without the feature shuffle).
Dataset generate(const MakeClassificationOptions& o, std::vector<int64_t>* columns) {
  check_options(o);
  auto generator = detail::check_random_state(o.random_state());
  const int64_t n_samples = o.n_samples();
  const int64_t n_features = o.n_features();
  const int64_t n_informative = o.n_informative();
  const int64_t n_redundant = o.n_redundant();
  const int64_t n_repeated = o.n_repeated();
  const int64_t n_classes = o.n_classes();
  const int64_t n_useless = n_features - n_informative - n_redundant - n_repeated;
  const int64_t n_clusters = n_classes * o.n_clusters_per_class();

  std::vector<double> weights = o.weights();
  if (weights.empty()) {
    weights.assign(static_cast<size_t>(n_classes), 1.0 / static_cast<double>(n_classes));
  } else if (static_cast<int64_t>(weights.size()) == n_classes - 1) {
    double sum = 0.0;  // Python's sum(): left to right
    for (const double w : weights) sum += w;
    weights.push_back(1.0 - sum);
  }

  // Distribute samples among clusters by weight; the remainder goes round-robin.
  std::vector<int64_t> per_cluster(static_cast<size_t>(n_clusters));
  int64_t assigned = 0;
  for (int64_t k = 0; k < n_clusters; ++k) {
    per_cluster[k] = static_cast<int64_t>(static_cast<double>(n_samples) * weights[k % n_classes] /
                                          static_cast<double>(o.n_clusters_per_class()));
    assigned += per_cluster[k];
  }
  for (int64_t i = 0; i < n_samples - assigned; ++i) {
    per_cluster[i % n_clusters] += 1;
  }

  Matrix X(n_samples, n_features);
  std::vector<int64_t> y(static_cast<size_t>(n_samples), 0);

  // Cluster centroids on the vertices of a hypercube with sides 2 * class_sep.
  Matrix centroids = generate_hypercube(n_clusters, n_informative, generator);
  for (auto& c : centroids.v) {
    c *= 2 * o.class_sep();
    c -= o.class_sep();
  }
  if (!o.hypercube()) {
    const auto row_scale = draw_uniform(generator, n_clusters);
    const auto col_scale = draw_uniform(generator, n_informative);
    for (int64_t k = 0; k < n_clusters; ++k) {
      for (int64_t j = 0; j < n_informative; ++j) centroids.at(k, j) *= row_scale[k];
    }
    for (int64_t k = 0; k < n_clusters; ++k) {
      for (int64_t j = 0; j < n_informative; ++j) centroids.at(k, j) *= col_scale[j];
    }
  }

  for (int64_t i = 0; i < n_samples; ++i) {
    for (int64_t j = 0; j < n_informative; ++j) X.at(i, j) = generator.next_gauss();
  }

  // Each cluster: a random linear map of its standard normals (covariance), then its vertex.
  int64_t stop = 0;
  std::vector<double> A(static_cast<size_t>(n_informative * n_informative));
  std::vector<double> mixed;
  for (int64_t k = 0; k < n_clusters; ++k) {
    // Python slices clamp: weights summing above 1 leave the last clusters short or empty.
    const int64_t start = std::min(stop, n_samples);
    stop = stop + per_cluster[k];
    const int64_t end = std::min(std::max(stop, start), n_samples);
    for (int64_t i = start; i < end; ++i) y[i] = k % n_classes;
    for (auto& a : A) a = 2 * generator.next_double() - 1;
    const int64_t rows = end - start;
    mixed.assign(static_cast<size_t>(rows * n_informative), 0.0);
    detail::numpy_dot(&X.at(start, 0), n_features, rows, n_informative, A.data(), n_informative,
                      mixed.data(), n_informative);
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < n_informative; ++j) {
        X.at(start + i, j) = mixed[i * n_informative + j] + centroids.at(k, j);
      }
    }
  }

  if (n_redundant > 0) {
    std::vector<double> B(static_cast<size_t>(n_informative * n_redundant));
    for (auto& b : B) b = 2 * generator.next_double() - 1;
    detail::numpy_dot(X.v.data(), n_features, n_samples, n_informative, B.data(), n_redundant,
                      &X.at(0, n_informative), n_features);
  }

  if (n_repeated > 0) {
    const int64_t n = n_informative + n_redundant;
    for (int64_t r = 0; r < n_repeated; ++r) {
      const auto source =
          static_cast<int64_t>(static_cast<double>(n - 1) * generator.next_double() + 0.5);
      for (int64_t i = 0; i < n_samples; ++i) X.at(i, n + r) = X.at(i, source);
    }
  }

  if (n_useless > 0) {
    for (int64_t i = 0; i < n_samples; ++i) {
      for (int64_t j = n_features - n_useless; j < n_features; ++j)
        X.at(i, j) = generator.next_gauss();
    }
  }

  if (o.flip_y() >= 0.0) {
    const auto u = draw_uniform(generator, n_samples);
    for (int64_t i = 0; i < n_samples; ++i) {
      if (u[i] < o.flip_y()) y[i] = generator.next_int(0, n_classes);
    }
  }

  std::vector<double> shift(static_cast<size_t>(n_features), o.shift().value_or(0.0));
  if (!o.shift()) {
    for (auto& s : shift) s = (2 * generator.next_double() - 1) * o.class_sep();
  }
  std::vector<double> scale(static_cast<size_t>(n_features), o.scale().value_or(1.0));
  if (!o.scale()) {
    for (auto& s : scale) s = 1 + 100 * generator.next_double();
  }
  for (int64_t i = 0; i < n_samples; ++i) {
    for (int64_t j = 0; j < n_features; ++j) X.at(i, j) = (X.at(i, j) + shift[j]) * scale[j];
  }

  auto Xt = at::from_blob(X.v.data(), {n_samples, n_features}, at::kDouble).clone();
  auto yt = at::from_blob(y.data(), {n_samples}, at::kLong).clone();
  if (o.shuffle()) {
    const auto rows = detail::shuffled_rows(generator, n_samples);
    const auto row_index = at::from_blob(const_cast<int64_t*>(rows.data()), {n_samples}, at::kLong);
    Xt = Xt.index_select(0, row_index);
    yt = yt.index_select(0, row_index);
    const auto cols = detail::shuffled_rows(generator, n_features);
    const auto col_index =
        at::from_blob(const_cast<int64_t*>(cols.data()), {n_features}, at::kLong);
    Xt = Xt.index_select(1, col_index).contiguous();
    if (columns != nullptr) *columns = cols;
  } else if (columns != nullptr) {
    columns->resize(static_cast<size_t>(n_features));
    for (int64_t j = 0; j < n_features; ++j) (*columns)[j] = j;
  }
  return {Xt, yt};
}

}  // namespace

Dataset make_classification(const MakeClassificationOptions& options) {
  return generate(options, nullptr);
}

const char* feature_role_name(FeatureRole role) {
  switch (role) {
    case FeatureRole::kInformative:
      return "informative";
    case FeatureRole::kRedundant:
      return "redundant";
    case FeatureRole::kRepeated:
      return "repeated";
    case FeatureRole::kUseless:
      return "useless";
  }
  return "unknown";
}

ClassificationData make_classification_with_roles(const MakeClassificationOptions& options) {
  std::vector<int64_t> source;
  auto [X, y] = generate(options, &source);
  // Before the shuffle scikit-learn lays the columns out as informative, redundant, repeated,
  // useless (sklearn/datasets/_samples_generator.py); the shuffle moves column source[j] to j.
  const int64_t informative = options.n_informative(), redundant = options.n_redundant(),
                repeated = options.n_repeated();
  ClassificationData data{X, y, {}};
  for (const int64_t s : source) {
    data.roles.push_back(s < informative                          ? FeatureRole::kInformative
                         : s < informative + redundant            ? FeatureRole::kRedundant
                         : s < informative + redundant + repeated ? FeatureRole::kRepeated
                                                                  : FeatureRole::kUseless);
  }
  return data;
}

}  // namespace infozoo::datasets
