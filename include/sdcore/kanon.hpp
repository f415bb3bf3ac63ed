#pragma once
/// \file kanon.hpp
/// Globally optimal full-domain generalisation with record suppression: the search ARX performs.
///
/// Each quasi-identifier has a generalisation hierarchy; a transformation (a node of the
/// lattice) picks one level per quasi-identifier. A transformation is *anonymous* when, after
/// suppressing every record of every equivalence class that fails a privacy model, at most
/// `suppression_limit` of the records are suppressed and the dataset-level models hold. Among
/// the anonymous transformations the search returns the one with the least information loss
/// under the chosen quality model; ties go to the lower lattice height, then to the
/// lexicographically smaller levels. Quality models follow ARX's definitions
/// (docs/methods/kanon.md gives each formula).
///
/// Example:
/// \code
///   sdcore::AnonymiseOptions opt;
///   opt.models.k = 5;
///   opt.suppression_limit = 0.05;
///   std::vector<sdcore::QuasiIdentifier> qis = {
///       {"age", sdcore::read_hierarchy("age.csv", "age")},
///       {"sex", sdcore::read_hierarchy("sex.csv", "sex")}};
///   sdcore::AnonymiseResult r = sdcore::anonymise(table, qis, opt);
///   // r.table: QIs generalised to r.levels, suppressed records' QIs set to "*".
/// \endcode
///
/// Thread-safety: the functions are re-entrant; the search itself uses `threads` workers.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sdcore/hierarchy.hpp"
#include "sdcore/progress.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// One quasi-identifier and its hierarchy. Levels outside [min_level, max_level] are not
/// searched (max_level is clamped to the hierarchy's top).
struct QuasiIdentifier {
  std::string column;
  Hierarchy hierarchy;
  std::size_t min_level = 0;
  std::size_t max_level = std::numeric_limits<std::size_t>::max();
};

/// Variants of l-diversity (Machanavajjhala et al. 2007).
enum class DiversityKind : std::uint8_t {
  kDistinct,   ///< at least l distinct sensitive values per class
  kEntropy,    ///< entropy of the class's sensitive values >= log(l)
  kRecursive,  ///< (c,l): r1 < c * (r_l + ... + r_m), r sorted descending
};

/// l-diversity of one sensitive column.
struct LDiversity {
  std::string sensitive;
  DiversityKind kind = DiversityKind::kDistinct;
  double l = 2;
  double c = 1;  ///< recursive (c,l) only
};

/// Ground distances of t-closeness (Li, Li & Venkatasubramanian 2007).
enum class GroundDistance : std::uint8_t {
  kEqual,         ///< every pair of values at distance 1: EMD = half the L1 distance
  kOrdered,       ///< values in order (numeric ascending, else category order): |i-j|/(m-1)
  kHierarchical,  ///< distance = height of the lowest common ancestor / tree height
};

/// t-closeness of one sensitive column: the EMD between each class's distribution and the whole
/// table's is at most t.
struct TCloseness {
  std::string sensitive;
  GroundDistance distance = GroundDistance::kEqual;
  double t = 0.2;
  /// Required for kHierarchical: the sensitive column's hierarchy.
  std::optional<Hierarchy> hierarchy;
};

/// Privacy models; all given ones must hold (they combine).
struct PrivacyModels {
  std::int64_t k = 1;  ///< k-anonymity (1 = off)
  std::vector<LDiversity> l_diversity;
  std::vector<TCloseness> t_closeness;
  /// k-map: every class matches at least k_map records of `population` (a table with the
  /// quasi-identifier columns; 0 = off).
  std::int64_t k_map = 0;
  const Table* population = nullptr;
  /// Highest prosecutor risk 1/fk allowed (1 = off); equivalent to k = ceil(1/max_risk).
  double max_risk = 1;
  /// Average prosecutor risk (classes / records after suppression) allowed (1 = off).
  double average_risk = 1;
};

/// Quality (information-loss) models, as ARX defines them. Lower is better for all.
enum class QualityModel : std::uint8_t {
  kLoss,               ///< Iyengar's loss per attribute (ARX's default)
  kDiscernibility,     ///< sum of squared class sizes; suppressed records cost n each
  kNonUniformEntropy,  ///< Gionis & Tassa; generalisation only, as ARX's
  kPrecision,          ///< Sweeney's precision: level / height per attribute
  kAverageClassSize,   ///< records / classes (suppressed records form one class)
  kHeight,             ///< sum of levels
};

/// How per-attribute losses combine (multi-dimensional models only).
enum class Aggregate : std::uint8_t {
  kDefault,         ///< the model's ARX default: Loss geometric mean, Precision arithmetic, entropy sum
  kSum,
  kArithmeticMean,
  kGeometricMean,   ///< ARX's: (prod (x_i + 1))^(1/d) - 1
  kMaximum,
};

const char* to_string(QualityModel model) noexcept;
/// "loss", "discernibility", "entropy", "precision", "aecs", "height"; InvalidArgument otherwise.
QualityModel parse_quality_model(const std::string& name);

/// How suppressed records appear in the output.
enum class SuppressedOutput : std::uint8_t {
  kStar,     ///< quasi-identifiers set to `suppressed_label` (ARX's output)
  kMissing,  ///< quasi-identifiers set to missing
  kDrop,     ///< records removed (the only option that changes the row count)
};

struct AnonymiseOptions {
  PrivacyModels models;
  /// Share of records that may be suppressed, in [0, 1].
  double suppression_limit = 0;
  QualityModel quality = QualityModel::kLoss;
  Aggregate aggregate = Aggregate::kDefault;
  /// Weighs generalisation against suppression, in [0, 1]; 0.5 treats them equally (ARX).
  double gs_factor = 0.5;
  /// Worker threads; 0 = all hardware threads.
  std::size_t threads = 0;
  /// Aggregated input: the name of a numeric column saying how many records each row stands
  /// for (whole numbers >= 1), as a group-by's counts give (sdcore.spark); "" = one record per
  /// row. The search, k, the suppression limit and every quality figure then count records;
  /// a row is suppressed with its whole class, so each output row stands for its records.
  std::string frequency;
  SuppressedOutput suppressed_output = SuppressedOutput::kStar;
  std::string suppressed_label = "*";
  /// Refuse lattices larger than this (the search visits nodes one by one).
  std::uint64_t max_lattice_size = 20'000'000;
  ProgressCallback progress;
};

/// Figures of one transformation.
struct TransformationQuality {
  std::vector<std::size_t> levels;
  bool anonymous = false;
  std::int64_t suppressed_records = 0;
  std::size_t classes = 0;             ///< classes of unsuppressed records
  std::int64_t min_class_size = 0;     ///< smallest unsuppressed class (0 if none)
  double average_risk = 0;             ///< classes / unsuppressed records
  double score = 0;                    ///< information loss under the chosen model
  double lower_bound = 0;              ///< the model's loss ignoring suppression
  std::vector<double> per_attribute;   ///< multi-dimensional models: loss per quasi-identifier
};

struct AnonymiseResult {
  /// False when no transformation in the lattice is anonymous; `table` is then empty.
  bool found = false;
  /// The input with quasi-identifiers generalised (categorical) and suppressed records handled
  /// as asked; every other column unchanged, rows in input order.
  Table table;
  TransformationQuality best;
  /// Per input row: 1 if the record was suppressed.
  std::vector<std::uint8_t> suppressed;
  std::uint64_t lattice_size = 0;
  std::uint64_t nodes_evaluated = 0;
};

/// Searches the lattice for the optimal transformation and applies it. Throws InvalidArgument
/// for an unknown column, a hierarchy that does not cover the data (listing the values), k
/// larger than the table, a limit outside [0, 1], contradictory or malformed models.
AnonymiseResult anonymise(const Table& table, const std::vector<QuasiIdentifier>& quasi_identifiers,
                          const AnonymiseOptions& options);

/// Evaluates one transformation (levels per quasi-identifier) under the same rules, without
/// searching. Useful to inspect a node or to check the search.
TransformationQuality evaluate_transformation(const Table& table,
                                              const std::vector<QuasiIdentifier>& quasi_identifiers,
                                              const AnonymiseOptions& options,
                                              const std::vector<std::size_t>& levels);

/// Applies a transformation: the output table and suppression flags as `anonymise` builds them.
AnonymiseResult apply_transformation(const Table& table, const std::vector<QuasiIdentifier>& quasi_identifiers,
                                     const AnonymiseOptions& options, const std::vector<std::size_t>& levels);

}  // namespace sdcore
