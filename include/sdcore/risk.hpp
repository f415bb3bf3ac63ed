#pragma once
/// \file risk.hpp
/// Re-identification risk of record-level data, as auditors report it.
///
/// Per record: sample frequency fk, weighted frequency Fk, the individual risk of Benedetti &
/// Franconi (as sdcMicro's measure_risk computes it) and, given a household id, the household
/// risk. Globally: expected re-identifications, the re-identification rate, sample uniques,
/// records in classes smaller than k, the mu-Argus risk threshold and the number of records
/// with markedly higher risk than the rest.
///
/// Example:
/// \code
///   sdcore::RiskResult r = sdcore::measure_risk(
///       table, {"urbrur", "roof", "walls", "water", "sex"}, "sampling_weight", "ori_hid");
///   double er = r.summary.expected_reidentifications;
/// \endcode
///
/// Thread-safety: the functions are re-entrant; results are plain values.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/span.hpp"
#include "sdcore/table.hpp"
#include "sdcore/uniqueness.hpp"

namespace sdcore {

/// How the individual risk of a weighted record is evaluated from fk and Fk.
enum class RiskMethod : std::uint8_t {
  /// sdcMicro's default ("approx"): with p = fk/Fk, fk = 1: p/(1-p) log(1/p); fk = 2:
  /// p/(1-p) - (p/(1-p))^2 log(1/p) (both exact); fk >= 3: p / (fk - (1-p)).
  kApprox,
  /// E(1/F | f) under the negative-binomial model for every fk, evaluated by a stable series
  /// (sdcMicro's "exact" is the same quantity in a closed form that loses accuracy as p -> 1).
  kExact,
};

/// Benedetti-Franconi individual risk of a record whose class has sample frequency `fk` and
/// weighted frequency `Fk`; 1/fk when fk == Fk (the class is the population). Throws
/// InvalidArgument if fk < 1 or Fk <= 0.
double individual_risk(double fk, double Fk, RiskMethod method = RiskMethod::kApprox);

/// The mu-Argus global-risk threshold (mu-Argus 4.1 manual, 2.3.4.1): the largest risk level r
/// present such that capping every record's risk at r gives sum(min(r_i, r)) < max_global_risk
/// * n. Empty when the file already meets it (sum(r_i) < max_global_risk * n); 0 when no level
/// does. max_global_risk must lie in (0, 1).
std::optional<double> risk_threshold(Span<const double> risks, double max_global_risk);

/// Records with markedly higher risk than the main part of the data (sdcMicro's print rule):
/// risk > median + 3 * MAD (MAD scaled by 1.4826, as R's mad) and risk > 0.1.
std::int64_t count_high_risk(Span<const double> risks);

struct RiskOptions {
  MissingPolicy missing = MissingPolicy::kOwnValue;
  RiskMethod method = RiskMethod::kApprox;
  /// Report records in classes smaller than each k (each >= 1).
  std::vector<std::int64_t> ks = {2, 3, 5};
  /// For the mu-Argus threshold; in (0, 1).
  double max_global_risk = 0.01;
  /// Attacker models: a record is "at risk" when its re-identification probability exceeds this
  /// (in (0, 1]).
  double attacker_threshold = 0.2;
  /// Optional population table for the journalist and marketer models: it holds the
  /// quasi-identifier columns (same names) and a count column `population_count`; every class
  /// of the sample must appear in it. Without it the population class sizes are estimated by
  /// the weighted frequencies Fk, or taken from the sample when there are no weights.
  const Table* population = nullptr;
  std::string population_count;
  /// Population size N for the population-uniqueness estimators; NaN means the sum of the
  /// weights (with weights) or no estimates (without).
  double population_size = std::numeric_limits<double>::quiet_NaN();
  /// Aggregated input (see ClassOptions::frequency): row i stands for frequency[i] records and
  /// its weight is their summed weight. Per-row figures are then per aggregated row; every
  /// global figure equals that of the expanded records. Not with a household id.
  Span<const std::int64_t> frequency;
  /// Threads for the class count (ClassOptions::threads); 0 = all. Results do not depend on it.
  std::size_t threads = 0;
};

/// The four population-uniqueness estimates (see uniqueness.hpp) for one population size.
struct PopulationUniqueness {
  double population_size = 0;
  std::string population_size_source;  ///< "given" or "weights"
  UniquenessEstimate zayatz, pitman, snb, dankar;
};

/// One attacker model's figures as El Emam defines them ("Guide to the De-Identification of
/// Personal Health Information", 2013) and ARX reports them.
struct AttackerRisk {
  double records_at_risk = 0;  ///< share of records whose risk exceeds the threshold
  double highest = 0;          ///< highest re-identification probability of any record
  double success_rate = 0;     ///< share of records re-identified on average
};

struct AttackerRisks {
  double threshold = 0;
  /// Where the population class sizes came from: "population table", "weights" or "sample".
  std::string population_source;
  AttackerRisk prosecutor;  ///< attacker knows the target is in the data: risk 1/fk
  AttackerRisk journalist;  ///< attacker matches against the population: risk 1/F
  double marketer = 0;      ///< attacker re-identifies as many as possible: mean fk/F
};

/// The attacker models per class: `count` records with exactly the class's key, sample
/// frequency `fk` (equal to count unless missing keys match any value) and population size `F`
/// (F >= fk). Throws InvalidArgument for mismatched sizes, F < fk, or a threshold outside (0, 1].
AttackerRisks attacker_risks(Span<const std::int64_t> count, Span<const std::int64_t> fk,
                             Span<const double> F, double threshold);

/// Per-record figures, aligned with the table's rows.
struct RecordRisks {
  std::vector<std::int64_t> fk;
  std::vector<double> Fk;               ///< equals fk for unweighted data
  std::vector<double> risk;             ///< individual risk
  std::vector<double> household_risk;   ///< 1 - prod(1 - risk) over the household; empty if none
};

struct RiskSummary {
  std::int64_t records = 0;
  std::int64_t classes = 0;
  std::int64_t sample_uniques = 0;
  /// (k, records in classes with fk < k) for each requested k.
  std::vector<std::pair<std::int64_t, std::int64_t>> records_below_k;
  double expected_reidentifications = 0;  ///< sum of individual risks (sdcMicro global_risk_ER)
  double global_risk = 0;                 ///< expected_reidentifications / records
  double max_risk = 0;
  std::optional<double> threshold;        ///< see risk_threshold
  double max_global_risk = 0;
  std::int64_t high_risk_records = 0;     ///< see count_high_risk
  std::optional<double> household_expected_reidentifications;
  std::optional<double> household_global_risk;
  AttackerRisks attacker;
  std::optional<PopulationUniqueness> population_uniqueness;
};

struct RiskResult {
  EquivalenceClasses classes;
  RecordRisks records;
  RiskSummary summary;
};

/// Risk of every record of `table` under the named quasi-identifiers, with an optional numeric
/// sampling-weight column (without one the risk is 1/fk) and an optional household id column.
/// Throws InvalidArgument for an empty table, unknown columns, bad weights (missing, zero,
/// negative, infinite), k < 1, max_global_risk outside (0, 1), or a missing household id.
RiskResult measure_risk(const Table& table, const std::vector<std::string>& quasi_identifiers,
                        const std::string& weight = "", const std::string& household = "",
                        const RiskOptions& options = {});

/// The same on raw code views (see equivalence_classes); `household` may be null.
RiskResult measure_risk(Span<const KeyCodes> keys, std::size_t rows, Span<const double> weights,
                        const KeyCodes* household, const RiskOptions& options = {});

}  // namespace sdcore
