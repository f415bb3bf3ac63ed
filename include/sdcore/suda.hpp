#pragma once
/// \file suda.hpp
/// Special uniques: the SUDA and DIS-SUDA scores of Elliot et al., found with the SUDA2
/// recursive search of Manning, Haglin & Keane (2008), with the semantics and defaults of
/// sdcMicro's `suda2()`. Formulas, sources and the points where sdcMicro is followed or left:
/// docs/methods/suda.md.
///
/// A minimal sample unique (MSU) of a record is a set of key variables on which the record is
/// unique in the sample while it is unique on no smaller subset of that set. A record with
/// small MSUs, or many of them, is at risk: an intruder needs little to single it out.
///
/// Example:
/// \code
///   auto t = sdcore::read_csv("survey.csv");
///   sdcore::SudaResult s = sdcore::suda2(t, {"urbrur", "roof", "walls", "water", "sex"});
///   for (std::size_t i = 0; i < s.score.size(); ++i)
///     if (s.dis_score[i] > 0.1) std::cout << "record " << i << " is a special unique\n";
/// \endcode
///
/// Thread-safety: the functions are re-entrant; results are plain values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/progress.hpp"
#include "sdcore/span.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

/// How an MSU of size k among M key variables is weighted in the SUDA score.
enum class SudaScoring : std::uint8_t {
  /// Elliot et al. (2002), sdcMicro's default (`original_scores = TRUE`):
  /// prod_{i=k}^{min(K, M-1)} (M - i) with K the largest MSU size searched; (M - k)! when
  /// K = M (the default).
  kOriginal,
  /// The IHSN implementation (`original_scores = FALSE`): (2^(M-k) - 1) / C(M, k).
  kIhsn,
};

/// How the DIS-SUDA score is evaluated.
enum class DisArithmetic : std::uint8_t {
  /// As sdcMicro evaluates it, step for step: the sampling fraction, the file-level DIS
  /// probability and the exponent in single precision, the number of sample uniques counted as
  /// sdcMicro counts it. Agrees with sdcMicro to a few ulps (bit for bit with kOriginal scores)
  /// where sdcMicro returns a number; where sdcMicro's unique count is zero it returns NaN, and
  /// we return the kExact value.
  kSdcMicro,
  /// The same formula in double precision throughout (differs from sdcMicro by ~1e-7).
  kExact,
};

struct SudaOptions {
  /// Largest MSU size searched, in [1, number of keys]; empty means the number of keys
  /// (sdcMicro has no such argument and always searches every size).
  std::optional<int> max_msu_size;
  /// Sampling fraction for the DIS-SUDA score, in (0, 1] (sdcMicro's `DisFraction`).
  double dis_fraction = 0.01;
  SudaScoring scoring = SudaScoring::kOriginal;
  DisArithmetic dis_arithmetic = DisArithmetic::kSdcMicro;
  /// sdcMicro's `missing` code. In the Table overload a numeric key equal to it is missing
  /// (as are NaN and categorical -1). It is also the value a missing key contributes to the
  /// record hash behind sdcMicro's unique count (DisArithmetic::kSdcMicro).
  std::int32_t missing_value = -999;
  /// Optional progress report: top-level search items finished, of their number.
  ProgressCallback progress;
};

/// SUDA results. Per-row vectors are aligned with the input rows; per-key vectors with the keys.
struct SudaResult {
  /// SUDA score: sum over the record's MSUs of their weights (0 for a record without MSUs).
  std::vector<double> score;
  /// DIS-SUDA score: the score calibrated to a probability that a sample unique is a population
  /// unique (0 where score is 0).
  std::vector<double> dis_score;
  /// contribution[j][i]: share of row i's score due to MSUs that contain key j, in [0, 1]
  /// (sdcMicro's `contributionPercent`, despite its name a fraction; 0 where score is 0). The
  /// shares of a row add up to the mean MSU size weighted by score, not to 1.
  std::vector<std::vector<double>> contribution;
  /// Number of MSUs of each row and the size of its smallest (0 when it has none).
  std::vector<std::int64_t> msu_count;
  std::vector<std::uint8_t> min_msu_size;

  /// Percent of the total score due to each key: 100 * sum_i contribution[j][i] * score[i] /
  /// sum_i score[i] (sdcMicro's `attribute_contributions`; 0 when no row has a score).
  std::vector<double> attribute_contribution;
  /// level_contribution[j][c]: percent of key j's total contribution from rows whose code is c
  /// (sdcMicro's `attribute_level_contributions`; 0 when key j contributes nothing).
  std::vector<std::vector<double>> level_contribution;

  /// Number of MSUs found, by size: msus_by_size[k - 1] for size k.
  std::vector<std::int64_t> msus_by_size;
  /// Records unique on the full key (fk = 1), and records in classes of exactly two (fk = 2):
  /// the counts the DIS-SUDA score is calibrated with.
  std::int64_t sample_uniques = 0;
  std::int64_t pair_records = 0;
  /// The largest MSU size that was searched.
  int max_msu_size = 0;
};

/// SUDA2 on `table` with the named key variables (categorical or numeric; numeric ones are
/// factorised, a value equal to options.missing_value or NaN counting as missing). Throws
/// InvalidArgument for an empty table, no keys, an unknown or repeated key, more than 64 keys,
/// or an option outside its range.
SudaResult suda2(const Table& table, const std::vector<std::string>& keys,
                 const SudaOptions& options = {});

/// The kernel on raw code views, `keys` all of length `rows`, codes in [-1, cardinality) with
/// -1 missing. For sdcMicro's unique count a present code c stands for the value c + 1, which is
/// what R passes for a factor (as.numeric) whose levels are in the order of the codes.
SudaResult suda2(Span<const KeyCodes> keys, std::size_t rows, const SudaOptions& options = {});

}  // namespace sdcore
