#pragma once
/// \file cellkey.hpp
/// The cell key method (CKM): noise added to every cell of a table of counts or sums, drawn from a
/// perturbation table ("p-table") by a *cell key* that depends only on the records in the cell, so
/// that the same cell gets the same noise in every table that contains it. As the ONS (Fraser &
/// Wooton 2005), the ABS (Thompson, Broadfoot & Elazar 2013), Destatis/Eurostat (Giessing 2016;
/// Enderle, Giessing & Tent 2018), tau-Argus and the R package cellKey use it. Method, formulas
/// and what it does not guarantee (no additivity): docs/methods/cell_key.md.
///
/// Example (counts):
/// \code
///   auto people = sdcore::read_csv("people.csv");             // has a column "rkey" in [0, 1)
///   std::vector<sdcore::DimensionSpec> dims = {{"region"}, {"sex"}};
///   sdcore::Tabulation t = sdcore::tabulate(people, dims);
///   std::vector<double> ck = sdcore::cell_keys(t, people, "rkey");
///   sdcore::PerturbationTable p = sdcore::generate_perturbation_table({5, 2.0, 2});  // D=5, V=2, js=2
///   sdcore::CellKeyResult r = sdcore::perturb_counts(t, ck, p);
///   // r.value[i]: the published count of cell i; r.noise[i] = r.value[i] - count.
/// \endcode
///
/// Thread-safety: all functions may be called concurrently; PerturbationTable and the result
/// structs are values (const methods may be called concurrently).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sdcore/span.hpp"
#include "sdcore/table.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore {

/// Which cells a block of p-table rows is for (the `type` column of magnitude p-tables).
enum class PTableType : std::uint8_t {
  kAll,         ///< every cell ("all"; count p-tables have only this)
  kEven,        ///< cells with an even number of contributors ("even")
  kOdd,         ///< cells with an odd number of contributors ("odd")
  kSmallCells,  ///< magnitude cells below the separation point ("small_cells")
};

/// "all", "even", "odd" or "small_cells".
const char* to_string(PTableType type) noexcept;

/// One transition of a p-table: original value class i to perturbed value j with probability p,
/// noise v = j - i, and the cumulative probability p_ub of this and the earlier entries of row i.
/// A cell key ck selects the entry with p_ub(previous entry) < ck <= p_ub.
struct PTableEntry {
  double i = 0;
  double j = 0;
  double p = 0;
  double v = 0;
  double p_ub = 0;
  PTableType type = PTableType::kAll;
};

/// A validated perturbation table: rows i (counts: original count 0..i_max, the last row used
/// for every larger count; magnitudes: classes in steps such as 0, 1, D), each a distribution of
/// the noise v. Thread-safety: a value.
class PerturbationTable {
 public:
  /// Validates and stores the entries, ordered by (type, i, j). Throws InvalidArgument, naming
  /// the entry (0-based, in the order given) and its numbers, when: a number is not finite,
  /// p < 0, j < 0, v != j - i, an entry repeats (type, i, j), the p of a row do not sum to 1 or
  /// its p_ub are not the running sums of its p (both within `tolerance`), the last p_ub of a row
  /// is not 1 (within `tolerance`), or there is no row at all.
  explicit PerturbationTable(std::vector<PTableEntry> entries, double tolerance = 1e-6);

  const std::vector<PTableEntry>& entries() const noexcept { return entries_; }
  /// Whether rows of this type exist.
  bool has(PTableType type) const noexcept;
  /// The distinct row values i of a type, ascending (empty if the type has none).
  std::vector<double> rows(PTableType type = PTableType::kAll) const;
  /// The largest i of a type (InvalidArgument if the type has no rows).
  double max_i(PTableType type = PTableType::kAll) const;
  /// The noise v of row i for cell key ck: the first entry of the row with ck <= p_ub (the last
  /// entry if ck exceeds every p_ub by rounding). Throws InvalidArgument if the row does not
  /// exist or ck is not in [0, 1).
  double lookup(double i, double cell_key, PTableType type = PTableType::kAll) const;
  /// This table plus the "all" rows of `other` relabelled as `as`, e.g. a small-cells p-table
  /// read from its own file (tau-Argus's `<PFILE_SEP>`): `all.with_rows(small, kSmallCells)`.
  /// Throws InvalidArgument if this table already has rows of type `as` or `other` has no "all" rows.
  PerturbationTable with_rows(const PerturbationTable& other, PTableType as) const;

 private:
  std::vector<PTableEntry> entries_;
  double tolerance_ = 1e-6;
};

/// Reads a p-table in the text format of tau-Argus, cellKey and the ptable package: `;`-separated,
/// a header naming the columns (quotes allowed) — `i`, `j`, `p` (or `p_ij`), `v`, the cumulative
/// upper bound (`p_ij_ub`, `p_int_ub` or `p_ub`), optionally `p_int_lb`/`p_lb` (ignored) and
/// `type` (all/even/odd/small_cells; "all" when absent). Numbers use '.' and may have exponents
/// (1.00E-07). Throws IoError if the file cannot be read and ParseError (file, line, column,
/// text) for a bad header, a bad field or an entry that fails the checks of PerturbationTable
/// (tolerance 1e-6).
PerturbationTable read_perturbation_table(const std::string& path);
/// The same from text in memory; `name` stands for the file in messages.
PerturbationTable parse_perturbation_table(std::string_view text, const std::string& name = "<p-table>");

/// Parameters of a count p-table built by maximum entropy (ptable package's create_cnt_ptable).
struct PTableParams {
  /// D: the largest absolute noise, >= 1.
  int max_deviation = 5;
  /// V: the variance of the noise in every row, > 0 (rows whose support cannot reach it are refused).
  double variance = 2.0;
  /// js: perturbed counts 1..js are never published (0: none blocked), >= 0.
  int js = 0;
  /// If > 0: the probability of noise 0 is at least this in every row that can keep its count
  /// (ptable's pstay); in [0, 1).
  double pstay = 0;
  /// ptable's monotony (its default): probabilities do not decrease from the most negative noise
  /// up to noise 0, i.e. p(v) <= p(v + 1) for v < 0.
  bool monotone = true;
};

/// Builds a count p-table: rows i = 0..D+js+1 (the last row serves every larger count), each the
/// distribution over j in [max(0, i-D), i+D] without 1..js that maximises entropy subject to
/// sum p = 1, mean of v = 0 and variance of v = V (plus p(v=0) >= pstay). Solved exactly through
/// the dual: p_v proportional to exp(l1 v + l2 v^2), (l1, l2) by Newton's method; where the
/// constraints leave a single distribution on two points (V at the edge of what the row's support
/// allows) that distribution is returned. Throws InvalidArgument before any work for bad
/// parameters, and naming the row and the attainable range when V is outside what a row's
/// support allows (e.g. row 1 with js >= 1 needs V >= js). With `monotone`, adjacent values that
/// would break the monotony are tied (pooled) and the row solved again. Not implemented: ptable's
/// 1e-8 lower bound on every probability (see the docs).
PerturbationTable generate_perturbation_table(const PTableParams& params);

/// Default number of decimal digits of record and cell keys (as tau-Argus and cellKey round them).
inline constexpr int kDefaultKeyDigits = 8;

/// `n` record keys uniform on {0, 1, ..., 10^digits - 1} / 10^digits, from a splitmix64 stream
/// seeded with `seed` (rejection sampling, so exactly uniform; same output on every platform).
/// digits in 1..15 (InvalidArgument otherwise).
std::vector<double> generate_record_keys(std::size_t n, std::uint64_t seed, int digits = kDefaultKeyDigits);

/// Record keys as fixed-point integers: key * 10^digits, exactly, read from the key's shortest
/// decimal form. Throws InvalidArgument naming the row (1-based) for a key that is missing, not
/// in [0, 1), or has more than `digits` decimals. digits in 1..15.
std::vector<std::uint64_t> fixed_point_keys(Span<const double> keys, int digits = kDefaultKeyDigits);

/// Options of `cell_keys`.
struct CellKeyOptions {
  /// Decimal digits of the record keys and cell keys, 1..15.
  int digits = kDefaultKeyDigits;
  /// If not empty: a numeric column; records where it is 0 do not contribute their key (for
  /// magnitude tables: tau-Argus's `<INCLUDEZEROS> N`, cellKey's use_zero_rkeys = FALSE).
  std::string skip_zero_column;
};

/// The cell key of every cell of `table` (same order): the sum of the fixed-point record keys of
/// the cell's records modulo 10^digits, divided by 10^digits. Integer sums make the key
/// independent of record order and of which table the cell is in. `table` must have been built
/// from `records` by `tabulate` (each dimension named after a column of `records`, its leaves the
/// column's values). Throws InvalidArgument for an unknown key column, a bad key (see
/// fixed_point_keys), or a record whose value is not a leaf of its dimension.
std::vector<double> cell_keys(const Tabulation& table, const Table& records, const std::string& record_key_column,
                              const CellKeyOptions& options = {});

/// The noise and the perturbed values of a perturbed table, one entry per cell.
struct CellKeyResult {
  std::vector<double> value;  ///< perturbed value (original + noise)
  std::vector<double> noise;  ///< the noise added
};

/// The perturbed count for original count n (a whole number >= 0) and cell key ck: 0 if n = 0,
/// else n + v with v = p.lookup(min(n, i_max), ck). Throws InvalidArgument for a bad n or ck.
double perturb_count(double count, double cell_key, const PerturbationTable& ptable);

/// Perturbs every cell of a table of counts (TabularCell::value, which must be whole numbers),
/// margins independently of their parts, so the result is not additive. `keys` from cell_keys.
/// Throws InvalidArgument, before any work, for a key vector of the wrong length, a bad key, a
/// non-integer or negative count, or a p-table without "all" rows.
CellKeyResult perturb_counts(const Tabulation& table, const std::vector<double>& keys, const PerturbationTable& ptable);

/// The flex function of the magnitude CKM: the noise share m(x) of a contribution x, p_small
/// for x < flex_point, falling towards p_large above it.
struct FlexFunction {
  double p_small = 0.30;     ///< share for small contributions, in (0, 1]
  double p_large = 0.03;     ///< limit for large contributions, in (0, p_small]
  double flex_point = 1000;  ///< where the decline starts, > 0
  double q = 3;              ///< steepness, >= 1
  /// m(x) for x >= 0: p_small below flex_point, else
  /// p_large * (1 + (p_small x - p_large fp) / (p_large fp) * (2 fp / (fp + x))^q).
  double share(double x) const noexcept;
};

/// Parameters of the magnitude CKM (cellKey's ck_params_nums with ck_flexparams; tau-Argus's
/// `<CKM> T(k)` and `<SCALING> F(p_large, p_small, fp, q, eps2, ..)`).
struct MagnitudeParams {
  /// The largest contributions that each get noise, 1..6 (TabulateOptions::top_contributions must
  /// be at least this).
  std::size_t top_k = 1;
  /// Weights of the top_k contributions: descending in [0, 1], the first 1; size top_k.
  std::vector<double> epsilon = {1.0};
  FlexFunction flex;
  /// Extra protection mu_c added to |v| of every noise component (cellKey applies it to
  /// sensitive cells only; here to all cells when > 0). >= 0.
  double mu_c = 0;
  /// Digits of the cell keys (to derive the keys of the 2nd.. contributions), 1..15.
  int digits = kDefaultKeyDigits;
};

/// Perturbs one magnitude cell: value X with its largest contributions `top` (descending) and
/// cell key ck, as cellKey's flex variant does (docs/methods/cell_key.md, "Magnitudes"). The
/// number of contributors' parity selects even/odd rows when the p-table has them (top_k must be
/// 1 then); when it has small_cells rows, contributions below the separation point
/// z_s = sqrt(m1^2) / (sqrt(sum epsilon^2) p_small) are perturbed by those rows in absolute
/// units (m1^2: the mean squared noise of the largest small_cells row). Returns the total noise.
/// Throws InvalidArgument for bad parameters.
double magnitude_noise(double value, Span<const double> top, std::int64_t contributors, double cell_key,
                       const PerturbationTable& ptable, const MagnitudeParams& params);

/// Perturbs every cell of a magnitude table (sums with TabularCell::top), margins independently.
/// Throws InvalidArgument, before any work, for bad parameters, a key vector of the wrong
/// length, a p-table without "all" (or "even"/"odd") rows, or cells that kept fewer than top_k
/// contributions while having more contributors.
CellKeyResult perturb_magnitudes(const Tabulation& table, const std::vector<double>& keys,
                                 const PerturbationTable& ptable, const MagnitudeParams& params);

}  // namespace sdcore
