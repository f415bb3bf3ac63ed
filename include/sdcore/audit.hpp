#pragma once
/// \file audit.hpp
/// Disclosure audit of a table with suppressed cells: for each suppressed cell, the interval of
/// values an attacker can deduce from the published cells, the table's linear relations
/// (additivity) and a-priori bounds, found by linear programming (COIN-OR Clp), checked against
/// the cell's required protection (tau-Argus's upper, lower and sliding protection levels) and
/// explained by a certificate: the combination of relations that proves each end of the
/// interval, checkable by plain arithmetic with verify_certificate. Optionally the same against
/// insiders: each contributor, and each coalition of two, who know their own contributions.
///
/// The input is a generic problem (cells, values, bounds and relations), not the structures of
/// sdcore's suppression algorithms, so that tables suppressed by hand or by other tools can be
/// audited too. docs/methods/audit.md describes the guarantees, the LP and the certificate.
///
/// Example: a 2x2 table with margins where only the inner cell (r1,a) is suppressed.
/// \code
///   const char* labels[] = {"r1,a", "r1,b", "r1,tot", "r2,a", "r2,b", "r2,tot", "tot,a", "tot,b"};
///   const double values[] = {3, 4, 7, 5, 1, 6, 8, 5};
///   sdcore::AuditProblem p;
///   for (int i = 0; i < 8; ++i) {
///     sdcore::AuditCell cell;
///     cell.label = labels[i];
///     cell.value = values[i];
///     cell.suppressed = i == 0;  // only (r1,a)
///     p.cells.push_back(cell);
///   }
///   p.relations = {{"row r1", {{2, -1}, {0, 1}, {1, 1}}},     // (r1,tot) = (r1,a) + (r1,b)
///                  {"column a", {{6, -1}, {0, 1}, {3, 1}}}};  // (tot,a) = (r1,a) + (r2,a)
///   sdcore::AuditResult r = sdcore::audit(p);
///   // r.cells[0]: lower = upper = 3, verdict kExact. Its certificates name one relation with
///   // multiplier 1, e.g. "row r1": (r1,a) = (r1,tot) - (r1,b) = 7 - 4.
///   std::cout << sdcore::describe_certificate(p, *r.cells[0].lower_certificate) << "\n";
/// \endcode
///
/// Thread-safety: all functions may be called from several threads at once, and `audit` itself
/// solves its LPs on AuditOptions::threads threads, each with a COIN-OR Clp model of its own
/// (docs/methods/audit.md, "Threads", says why that is safe although COIN-OR documents no
/// thread-safety guarantee). The result does not depend on the number of threads. All types here
/// are plain values.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sdcore/progress.hpp"

namespace sdcore {

/// What one holder (respondent, enterprise, practice...) contributes to a cell.
struct AuditContribution {
  std::int64_t holder = 0;  ///< the holder's id; entries of one holder in a cell are summed
  double amount = 0;        ///< its contribution, >= 0
};

/// One cell of the table, published or suppressed, with its true value.
struct AuditCell {
  /// A name for messages and certificates, e.g. "w,b" (may be empty: the index is used then).
  std::string label;
  /// The true value, known to the data holder (for a published cell, the published value).
  double value = 0;
  /// Whether the cell is suppressed (not published).
  bool suppressed = false;
  /// What any attacker knows a priori: lower_bound <= value <= upper_bound. Counts and
  /// non-negative magnitudes: [0, +inf). -inf and +inf are allowed.
  double lower_bound = 0;
  double upper_bound = std::numeric_limits<double>::infinity();
  /// Required protection of a sensitive cell, as tau-Argus defines it: the attacker's upper
  /// limit must be >= value + upper_protection, the lower limit <= value - lower_protection,
  /// and upper - lower >= sliding_protection. All >= 0; 0 for a cell that is not sensitive.
  double upper_protection = 0;
  double lower_protection = 0;
  double sliding_protection = 0;
  /// The cell's contributors, for the insider audit (optional; may be partial, but they may
  /// not add up to more than `value`).
  std::vector<AuditContribution> contributions;
};

/// One term of a relation: coefficient * value of cell `cell`.
struct AuditTerm {
  std::size_t cell = 0;      ///< index into AuditProblem::cells
  double coefficient = 0;    ///< finite, not 0
};

/// A linear relation the table satisfies: sum(coefficient * value[cell]) = 0. A total and its
/// parts: {(total, -1), (part1, 1), (part2, 1)}.
struct AuditRelation {
  std::string label;  ///< a name for messages and certificates, e.g. "row w" (may be empty)
  std::vector<AuditTerm> terms;
};

/// What the audit is asked about: every cell of the table (published and suppressed) and every
/// relation an attacker knows.
struct AuditProblem {
  std::vector<AuditCell> cells;
  std::vector<AuditRelation> relations;
};

/// Options of `audit`. Thread-safety: a plain value.
struct AuditOptions {
  /// Relative numerical tolerance, in (0, 1). Two numbers count as equal when they differ by at
  /// most tolerance * max(1, |value|): a suppressed cell is *exact* when upper - lower is that
  /// small, a protection level counts as met within it, and a relation holds for the true
  /// values when its sum is within tolerance * max(1, largest |coefficient * value|).
  double tolerance = 1e-6;
  /// Return a certificate for each finite end of each interval (costs little time and some
  /// memory on large tables).
  bool certificates = true;
  /// Also audit against insiders: each holder that contributes to a suppressed cell, knowing
  /// its own contributions, so the lower bound of every other suppressed cell it contributes to
  /// rises to that contribution (the rules are in docs/methods/audit.md, "Insiders").
  bool insiders = false;
  /// With `insiders`: also each coalition of two such holders, knowing the sum of theirs.
  bool insider_pairs = true;
  /// With `insiders`: examine at most this many attacker scenarios (single holders first, in
  /// ascending id, then pairs in ascending (first, second) order); the rest are counted in
  /// AuditResult::insider_scenarios_skipped. Must be >= 1.
  std::size_t max_insider_scenarios = 10000;
  /// Optional progress: one unit per suppressed cell of the outsider audit, then one per insider
  /// scenario examined. Called on the calling thread only, whatever `threads`.
  ProgressCallback progress;
  /// Threads solving the outsider audit's LPs, 0 = all hardware threads. The targets are split
  /// into contiguous blocks of 256 whatever this number, each solved from a fresh model in the
  /// same order, so intervals, verdicts and certificates are identical for every value. With
  /// more than one thread the calling thread waits (and reports progress). The insider audit
  /// runs on one thread.
  std::size_t threads = 0;
  /// The suppressed cells to find intervals for (indices into AuditProblem::cells, ascending, each
  /// suppressed); empty: every suppressed cell. The others still enter as unknowns within their
  /// bounds; only their own intervals are not computed (two LPs each are saved). Not with
  /// `insiders`.
  std::vector<std::size_t> targets;
  /// Seconds the audit may take, 0 = no limit. When it is reached the audit stops and throws
  /// TimeLimitReached: an audit cut short proves nothing, so no partial result is returned.
  /// Must be finite and >= 0.
  double time_limit = 0;
};

/// The outcome for one suppressed cell against one attacker.
enum class AuditVerdict : std::uint8_t {
  kProtected,       ///< not exact, and every protection level is met
  kExact,           ///< the attacker can recompute the value (upper - lower within tolerance)
  kUnderProtected,  ///< not exact, but some protection level is not met (see the flags)
};

/// Which end of the interval a certificate proves.
enum class AuditSense : std::uint8_t {
  kLower,  ///< value >= bound
  kUpper,  ///< value <= bound
};

/// A relation used in a certificate, and its multiplier.
struct AuditMultiplier {
  std::size_t relation = 0;  ///< index into AuditProblem::relations
  double multiplier = 0;
};

/// A suppressed cell whose a-priori bound (or, for an insider, the raised lower bound) enters a
/// certificate: coefficient * (lower or upper bound) is added to the bound.
struct AuditBoundTerm {
  std::size_t cell = 0;      ///< index into AuditProblem::cells
  double coefficient = 0;    ///< not 0
  bool upper = false;        ///< the cell's upper bound is used (else its lower bound)
  double bound = 0;          ///< the value of that bound
};

/// Proof of one end of an interval, from the LP's dual multipliers y. With h the combination
/// e_target - sum_r y_r * relation_r (a coefficient per cell), every table satisfying the
/// relations has value[target] = sum_k h_k * value[k]; the published cells' terms are constants
/// (`published_part`), and each suppressed cell's term is bounded by its a-priori bound
/// (`bounds`), which gives `bound`. Coefficients |h_k| <= 1e-9 are taken as 0: they are
/// floating-point residue of the combination. verify_certificate redoes this arithmetic.
struct AuditCertificate {
  std::size_t cell = 0;  ///< the target cell, index into AuditProblem::cells
  AuditSense sense = AuditSense::kLower;
  double bound = 0;  ///< value >= bound (kLower) or value <= bound (kUpper)
  /// The attacker: empty for an outsider, else the holder ids whose own contributions raise
  /// lower bounds (see docs/methods/audit.md, "Insiders").
  std::vector<std::int64_t> insiders;
  /// Relations with non-zero multipliers, by relation index.
  std::vector<AuditMultiplier> relations;
  /// Suppressed cells whose bounds are used, by cell index.
  std::vector<AuditBoundTerm> bounds;
  /// sum over published cells of h_k * value_k.
  double published_part = 0;
};

/// The attacker's interval for one suppressed cell, the verdict and its proof.
struct AuditCellResult {
  std::size_t cell = 0;  ///< index into AuditProblem::cells
  /// The attacker: empty for an outsider, else the holder ids of the insider or coalition.
  std::vector<std::int64_t> insiders;
  double lower = 0;  ///< smallest value consistent with everything the attacker knows (may be -inf)
  double upper = 0;  ///< largest such value (may be +inf)
  AuditVerdict verdict = AuditVerdict::kProtected;
  bool upper_failed = false;    ///< upper < value + upper_protection
  bool lower_failed = false;    ///< lower > value - lower_protection
  bool sliding_failed = false;  ///< upper - lower < sliding_protection
  /// Proofs of `lower` and `upper`; empty when that end is infinite or certificates are off.
  /// Their `bound` is that end; should the solver's duals ever be too inexact to reproduce its
  /// optimum within the tolerance, the end keeps the optimum and the certificate proves its own,
  /// weaker bound (verify_certificate still checks it).
  std::optional<AuditCertificate> lower_certificate;
  std::optional<AuditCertificate> upper_certificate;
};

/// What `audit` found. Thread-safety: a plain value.
struct AuditResult {
  /// One entry per suppressed cell, in cell order: the outsider's interval.
  std::vector<AuditCellResult> cells;
  /// Each (insider or coalition, target cell) for which the target is not protected although
  /// it is against an outsider. A coalition of two is listed for a target only if neither of
  /// its members alone breaks that target.
  std::vector<AuditCellResult> insider_failures;
  std::size_t insider_scenarios = 0;          ///< attacker scenarios examined
  std::size_t insider_scenarios_skipped = 0;  ///< not examined because of max_insider_scenarios
  std::size_t lp_solves = 0;                  ///< linear programmes solved in all

  /// True when every suppressed cell is protected against an outsider, no insider failure was
  /// found and no insider scenario was skipped.
  bool all_protected() const noexcept;
};

/// Audits `problem`: the outsider's interval for every suppressed cell, and with
/// `options.insiders` the insiders' (docs/methods/audit.md).
///
/// Throws InvalidArgument, before any work, for: options.tolerance not in (0, 1) or
/// max_insider_scenarios of 0; a target that is not a suppressed cell, targets not ascending, or
/// targets with insiders; a cell whose value is not finite, whose lower bound exceeds its
/// upper bound, whose value lies outside its bounds, with a negative or non-finite protection
/// level, or with a negative or non-finite contribution or contributions adding up to more than
/// its value; a relation with no terms, naming a cell that does not exist or one cell twice, or
/// with a zero or non-finite coefficient; a relation that the cells' values do not satisfy
/// (the message names every such relation and gives its sum); more than INT_MAX suppressed
/// cells or relations; a time_limit that is negative or not finite. Throws Error when the
/// solver fails, and TimeLimitReached when options.time_limit is reached.
AuditResult audit(const AuditProblem& problem, const AuditOptions& options = {});

/// Audits a table published by anyone when its original values are not at hand, as an outside
/// attacker would: `problem` as for audit(), except that the values of suppressed cells are
/// unknown and ignored. Values of the suppressed cells consistent with the published cells, the
/// relations and the bounds are found first (COIN-OR Clp); every attacker interval depends only on
/// what is published, so the intervals are those of the true table. Each suppressed cell gets its
/// interval, and kExact when that is a single value (`lower`, the value recomputed). The upper and
/// lower protections are not judged (they are relative to the true value); the sliding
/// protection, a width, is. Throws InvalidArgument for what audit() refuses (relations among
/// published cells only must hold), for options.insiders (insiders need the true contributions),
/// and when no such values exist (the published cells contradict the relations).
///
/// Example (an exactly recomputable cell of a hand-suppressed table):
/// \code
///   sdcore::AuditResult r = sdcore::audit_published(problem);
///   for (const auto& c : r.cells)
///     if (c.verdict == sdcore::AuditVerdict::kExact) { /* cell c.cell is c.lower */ }
/// \endcode
AuditResult audit_published(AuditProblem problem, const AuditOptions& options = {});

/// Outcome of verify_certificate.
struct CertificateCheck {
  bool valid = false;
  double implied_bound = 0;  ///< the bound the multipliers actually prove
  std::string reason;        ///< why it is not valid (empty when valid)
};

/// Checks `certificate` against `problem` by plain arithmetic, independently of the LP: combines
/// the relations with the multipliers, bounds each suppressed cell's term by its bound (raised
/// for the certificate's insiders), and checks that the result proves the stated bound within
/// `tolerance` (relative, as AuditOptions::tolerance) and that `bounds` and `published_part`
/// are what the combination gives. The target must be a suppressed cell.
///
/// Throws InvalidArgument when `problem` itself is invalid (as for `audit`) or tolerance is
/// not in (0, 1); a certificate that does not prove its bound only gives valid = false.
CertificateCheck verify_certificate(const AuditProblem& problem, const AuditCertificate& certificate,
                                    double tolerance = 1e-6);

/// The certificate in words, one line, e.g.
/// `w,b >= 47 from +1 [row w] +1 [row x] -1 [column a] -1 [column c]; published cells give 47`,
/// followed by `; bounds used: ...` when a-priori bounds enter the proof.
std::string describe_certificate(const AuditProblem& problem, const AuditCertificate& certificate);

/// "protected", "exact" or "under-protected".
const char* to_string(AuditVerdict verdict) noexcept;

}  // namespace sdcore
