// Publication rules for count tables and their residual-risk audit (publication.hpp,
// docs/methods/publication.md).

#include "sdcore/publication.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "detail/record_cells.hpp"
#include "detail/text.hpp"
#include "sdcore/controlled_rounding.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

bool has_small_rule(const PublicationRule& rule) { return rule.suppress_max >= rule.suppress_min; }

void validate(const Tabulation& table, const PublicationRule& rule, const std::vector<std::size_t>& exact_cells) {
  if (rule.rounding != PublicationRounding::kNone && (!std::isfinite(rule.base) || rule.base <= 0))
    throw InvalidArgument("publication rule '" + rule.name + "': base must be finite and > 0, got " + format_number(rule.base));
  if (!std::isfinite(rule.suppress_min) || !std::isfinite(rule.suppress_max))
    throw InvalidArgument("publication rule '" + rule.name + "': the small-count range must be finite");
  const bool suppresses = has_small_rule(rule);
  if (rule.totals == TotalsRule::kSumOfRounded && (suppresses || !exact_cells.empty()))
    throw InvalidArgument("publication rule '" + rule.name +
                          "': totals as sums of rounded cells cannot be combined with suppression (a total would "
                          "give the suppressed cells away) or with exact cells (they would not add up)");
  if (rule.rounding == PublicationRounding::kControlled && suppresses)
    throw InvalidArgument("publication rule '" + rule.name + "': controlled rounding keeps the table additive, which "
                          "suppressed cells would undo; use it without a small-count rule");
  if (rule.rounding == PublicationRounding::kCellKey && !rule.ptable)
    throw InvalidArgument("publication rule '" + rule.name + "': the cell key method needs a perturbation table");
  if (rule.secondary && !suppresses)
    throw InvalidArgument("publication rule '" + rule.name + "': secondary suppression needs a small-count rule");
  for (std::size_t c : exact_cells)
    if (c >= table.num_cells())
      throw InvalidArgument("exact cell index " + std::to_string(c) + " is out of range (the table has " +
                            std::to_string(table.num_cells()) + " cells)");
  for (std::size_t i = 0; i < table.num_cells(); ++i) {
    const double v = table.cell(i).value;
    if (!std::isfinite(v) || v < 0 || v != std::floor(v))
      throw InvalidArgument("cell " + table.label(i) + " holds " + format_number(v) +
                            "; publication rules apply to counts (whole numbers >= 0)");
  }
}

// The small-count rule and, if asked, secondary suppression: the status of every cell.
std::vector<CellStatus> suppress(const Tabulation& table, const PublicationRule& rule, const std::vector<char>& exact) {
  const std::size_t n = table.num_cells();
  PrimaryResult primary;
  primary.status.assign(n, CellStatus::kSafe);
  primary.upper.assign(n, 0);
  primary.lower.assign(n, 0);
  primary.reason.assign(n, "");
  if (!has_small_rule(rule)) return primary.status;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = table.cell(i).value;
    if (exact[i] || v < rule.suppress_min || v > rule.suppress_max) continue;
    primary.status[i] = CellStatus::kPrimary;
    // Not exactly recomputable: the attacker's interval must reach one beyond the value.
    primary.upper[i] = 1;
    primary.lower[i] = v > 0 ? 1 : 0;
    primary.reason[i] = "count in " + format_number(rule.suppress_min) + ".." + format_number(rule.suppress_max);
    ++primary.num_primary;
  }
  if (!rule.secondary || primary.num_primary == 0) return primary.status;
  SecondaryOptions options = *rule.secondary;
  for (std::size_t i = 0; i < n; ++i)
    if (exact[i]) options.never_suppress.push_back(i);
  std::sort(options.never_suppress.begin(), options.never_suppress.end());
  options.never_suppress.erase(std::unique(options.never_suppress.begin(), options.never_suppress.end()),
                               options.never_suppress.end());
  SecondaryResult secondary = secondary_suppression(table, primary, options);
  if (!secondary.unprotectable.empty()) {
    std::string names;
    for (std::size_t k = 0; k < secondary.unprotectable.size() && k < 10; ++k)
      names += (k ? "; " : "") + table.label(secondary.unprotectable[k]);
    throw Error("publication rule '" + rule.name + "': secondary suppression cannot protect " +
                std::to_string(secondary.unprotectable.size()) + " small cell(s), e.g. " + names +
                " (the exact cells leave no cells to suppress with them)");
  }
  return secondary.status;
}

// [a, c] without [m, M] (integers). Two pieces are replaced by their hull.
ValueInterval remove_range(ValueInterval x, double m, double M, double published) {
  if (x.upper < m || x.lower > M) return x;
  if (x.lower >= m && x.upper <= M)
    throw InvalidArgument("published figure " + format_number(published) + " is impossible under the rule: every count "
                          "it could stand for is in the small-count range " + format_number(m) + ".." + format_number(M));
  if (x.lower < m && x.upper <= M) return {x.lower, m - 1};
  if (x.lower >= m && x.upper > M) return {M + 1, x.upper};
  return x;
}

// The largest |noise| of a p-table's "all" rows.
double max_noise(const PerturbationTable& p) {
  double d = 0;
  for (const PTableEntry& e : p.entries())
    if (e.type == PTableType::kAll) d = std::max(d, std::fabs(e.v));
  return d;
}

ValueInterval rounded_interval(const PublicationRule& rule, double r) {
  const double b = rule.rounding == PublicationRounding::kCellKey ? max_noise(*rule.ptable) : rule.base;
  if (rule.rounding != PublicationRounding::kCellKey && std::fmod(r, b) != 0)
    throw InvalidArgument("published figure " + format_number(r) + " is not a multiple of the rounding base " + format_number(b));
  if (rule.rounding == PublicationRounding::kRandom || rule.rounding == PublicationRounding::kControlled)
    return {std::floor(r - b) + 1, std::ceil(r + b) - 1};
  if (rule.rounding == PublicationRounding::kCellKey) return {r - b, r + b};
  const bool q_even = std::fmod(r / b, 2.0) == 0;
  const bool low_closed = rule.tie == TieRule::kUp || (rule.tie == TieRule::kEven && q_even);
  const bool high_closed = rule.tie == TieRule::kDown || (rule.tie == TieRule::kEven && q_even);
  const double lo = r - b / 2, hi = r + b / 2;
  // Integer ends of [lo, hi] with the open ends excluded.
  return {low_closed ? std::ceil(lo) : std::floor(lo) + 1, high_closed ? std::floor(hi) : std::ceil(hi) - 1};
}

std::vector<double> controlled_values(const Tabulation& table, const PublicationRule& rule, const std::vector<char>& exact) {
  ControlledRoundingOptions o;
  o.base = rule.base;
  o.time_limit_seconds = rule.time_limit;
  const bool any_exact = std::find(exact.begin(), exact.end(), 1) != exact.end();
  if (any_exact) o.keep_exact = exact;
  ControlledRoundingResult r = controlled_round(table, o);
  if (r.status != ControlledRoundingResult::Status::kOptimal && r.status != ControlledRoundingResult::Status::kFeasible)
    throw Error("publication rule '" + rule.name + "': no controlled rounding to base " + format_number(rule.base) +
                " was found (" + to_string(r.status) + (any_exact ? "; the exact cells may make it impossible)" : ")"));
  return r.values;
}

}  // namespace

const char* to_string(PublicationRounding r) noexcept {
  switch (r) {
    case PublicationRounding::kNone: return "none";
    case PublicationRounding::kNearest: return "nearest";
    case PublicationRounding::kRandom: return "random";
    case PublicationRounding::kCellKey: return "cellkey";
    case PublicationRounding::kControlled: return "controlled";
  }
  return "?";
}

const char* to_string(PublishedKind k) noexcept {
  switch (k) {
    case PublishedKind::kExact: return "exact";
    case PublishedKind::kRounded: return "rounded";
    case PublishedKind::kPrimary: return "primary";
    case PublishedKind::kSecondary: return "secondary";
  }
  return "?";
}

PublishedTable apply_publication_rule(const Tabulation& table, const PublicationRule& rule,
                                      const std::vector<std::size_t>& exact_cells, const std::vector<double>& cell_keys) {
  validate(table, rule, exact_cells);
  if (rule.rounding == PublicationRounding::kCellKey && cell_keys.size() != table.num_cells())
    throw InvalidArgument("the cell key method needs one cell key per cell: got " + std::to_string(cell_keys.size()) +
                          " for " + std::to_string(table.num_cells()) + " cells");
  const std::size_t n = table.num_cells();
  std::vector<char> exact(n, 0);
  for (std::size_t c : exact_cells) exact[c] = 1;
  const std::vector<CellStatus> status = suppress(table, rule, exact);
  PublishedTable out;
  out.kind.assign(n, PublishedKind::kExact);
  out.value.assign(n, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < n; ++i) {
    const double v = table.cell(i).value;
    if (status[i] == CellStatus::kPrimary || status[i] == CellStatus::kSecondary) {
      out.kind[i] = status[i] == CellStatus::kPrimary ? PublishedKind::kPrimary : PublishedKind::kSecondary;
      continue;
    }
    if (exact[i] || rule.rounding == PublicationRounding::kNone) {
      out.value[i] = v;
      continue;
    }
    out.kind[i] = PublishedKind::kRounded;
    if (rule.rounding == PublicationRounding::kNearest) {
      out.value[i] = round_to_base(v, rule.base, rule.tie);
    } else if (rule.rounding == PublicationRounding::kControlled) {
      out.value[i] = v;  // set below, for the whole table at once
    } else if (rule.rounding == PublicationRounding::kCellKey) {
      out.value[i] = perturb_count(v, cell_keys[i], *rule.ptable);
    } else {
      out.value[i] = random_round(v, rule.base, rule.seed, i);  // the cell's own draw, as random_round's
    }
  }
  if (rule.rounding == PublicationRounding::kControlled) out.value = controlled_values(table, rule, exact);
  if (rule.totals == TotalsRule::kSumOfRounded && rule.rounding != PublicationRounding::kNone)
    sum_totals_from_inner(table, out.value);
  for (std::size_t i = 0; i < n; ++i) {
    switch (out.kind[i]) {
      case PublishedKind::kExact: ++out.exact; break;
      case PublishedKind::kRounded: ++out.rounded; out.changed += out.value[i] != table.cell(i).value; break;
      case PublishedKind::kPrimary: ++out.primary; break;
      case PublishedKind::kSecondary: ++out.secondary; break;
    }
  }
  return out;
}

ValueInterval implied_interval(const PublicationRule& rule, PublishedKind kind, double published, bool in_small_rule) {
  switch (kind) {
    case PublishedKind::kExact: return {published, published};
    case PublishedKind::kPrimary:
    case PublishedKind::kSecondary:
      if (rule.secondary) return {0, kInf};
      return {std::max(0.0, std::ceil(rule.suppress_min)), std::floor(rule.suppress_max)};
    case PublishedKind::kRounded: break;
  }
  if (!std::isfinite(published)) throw InvalidArgument("a rounded figure must be a finite number");
  ValueInterval x = rule.rounding == PublicationRounding::kNone ? ValueInterval{published, published}
                                                                : rounded_interval(rule, published);
  x.lower = std::max(x.lower, 0.0);
  if (x.upper < x.lower)
    throw InvalidArgument("published figure " + format_number(published) + " stands for no count >= 0");
  if (in_small_rule && has_small_rule(rule))
    x = remove_range(x, std::ceil(rule.suppress_min), std::floor(rule.suppress_max), published);
  return x;
}

PublicationAudit audit_publication(const Tabulation& shape, const PublicationRule& rule, const PublishedTable& published,
                                   const AuditOptions& options, bool rounded) {
  const std::size_t n = shape.num_cells();
  if (published.kind.size() != n || published.value.size() != n)
    throw InvalidArgument("the published table has " + std::to_string(published.kind.size()) + " cells, the table " +
                          std::to_string(n));
  AuditProblem problem;
  problem.cells.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    AuditCell& c = problem.cells[i];
    c.label = shape.label(i);
    const PublishedKind k = published.kind[i];
    if (k == PublishedKind::kExact) {
      c.value = published.value[i];
      c.lower_bound = std::min(0.0, c.value);
      continue;
    }
    const ValueInterval x = implied_interval(rule, k, published.value[i]);
    c.suppressed = true;
    c.lower_bound = x.lower;
    c.upper_bound = x.upper;
  }
  for (const Tabulation::Relation& r : shape.relations()) {
    AuditRelation rel;
    rel.label = "total " + shape.label(r.total);
    rel.terms.push_back({r.total, -1});
    for (std::size_t p : r.parts) rel.terms.push_back({p, 1});
    problem.relations.push_back(std::move(rel));
  }
  AuditOptions opt = options;
  if (!rounded) {
    opt.targets.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (published.kind[i] == PublishedKind::kPrimary || published.kind[i] == PublishedKind::kSecondary) opt.targets.push_back(i);
    if (opt.targets.empty()) return PublicationAudit{{}, 0, 0, kInf, 0};
  }
  const AuditResult result = audit_published(std::move(problem), opt);
  PublicationAudit out;
  out.lp_solves = result.lp_solves;
  out.narrowest_suppressed = kInf;
  for (const AuditCellResult& r : result.cells) {
    HiddenCell h;
    h.cell = r.cell;
    h.kind = published.kind[r.cell];
    const ValueInterval x = implied_interval(rule, h.kind, published.value[r.cell]);
    h.rule_lower = x.lower;
    h.rule_upper = x.upper;
    h.lower = r.lower;
    h.upper = r.upper;
    h.exact = r.verdict == AuditVerdict::kExact;
    const bool suppressed = h.kind == PublishedKind::kPrimary || h.kind == PublishedKind::kSecondary;
    if (suppressed) {
      out.exact_suppressed += h.exact;
      out.narrowest_suppressed = std::min(out.narrowest_suppressed, h.upper - h.lower);
    } else {
      out.exact_rounded += h.exact;
    }
    out.cells.push_back(h);
  }
  return out;
}

std::vector<double> published_percentages(const Tabulation& shape, const std::vector<double>& published,
                                          const std::string& dimension, int decimals) {
  if (published.size() != shape.num_cells())
    throw InvalidArgument("percentages: " + std::to_string(published.size()) + " figures for " +
                          std::to_string(shape.num_cells()) + " cells");
  if (decimals < 0 || decimals > 6) throw InvalidArgument("percentages: decimals must be 0..6, got " + std::to_string(decimals));
  std::size_t d = shape.dimensions().size();
  for (std::size_t k = 0; k < shape.dimensions().size(); ++k)
    if (shape.dimensions()[k].name() == dimension) d = k;
  if (d == shape.dimensions().size()) throw InvalidArgument("percentages: '" + dimension + "' is not a dimension of the table");
  const double scale = std::pow(10.0, decimals);
  std::vector<double> out(published.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < published.size(); ++c) {
    std::vector<std::size_t> nodes = shape.nodes(c);
    nodes[d] = shape.dimensions()[d].root();
    const double num = published[c], den = published[shape.index(nodes)];
    if (std::isnan(num) || std::isnan(den) || den == 0) continue;
    out[c] = std::round(100.0 * num / den * scale) / scale;
  }
  return out;
}

// Whether the rule withholds a statistic over cell c (a small count, not an exact cell).
bool statistic_withheld(const PublicationRule& rule, double count, bool exact) {
  return !exact && has_small_rule(rule) && count >= rule.suppress_min && count <= rule.suppress_max;
}

std::vector<double> published_medians(const Tabulation& counts, const Table& records, const std::string& column,
                                      const PublicationRule& rule, const std::vector<std::size_t>& exact_cells) {
  const Column& col = records.column(column);
  if (col.is_categorical()) throw InvalidArgument("medians: column '" + column + "' is not numeric");
  std::vector<std::vector<double>> values(counts.num_cells());
  const detail::RecordCells cells(counts, records, "medians");
  for (std::size_t r = 0; r < records.num_rows(); ++r) {
    const double v = col.values()[r];
    if (std::isnan(v)) throw InvalidArgument("medians: column '" + column + "' is missing in row " + std::to_string(r + 1));
    for (std::size_t c : cells.of(r)) values[c].push_back(v);
  }
  std::vector<char> exact(counts.num_cells(), 0);
  for (std::size_t c : exact_cells) exact.at(c) = 1;
  std::vector<double> out(counts.num_cells(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < values.size(); ++c) {
    std::vector<double>& v = values[c];
    if (v.empty() || statistic_withheld(rule, static_cast<double>(v.size()), exact[c])) continue;
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    double m = v[mid];
    if (v.size() % 2 == 0) m = (m + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid))) / 2;
    out[c] = m;
  }
  return out;
}

std::vector<double> published_means(const Tabulation& counts, const Tabulation& sums, const PublicationRule& rule,
                                    const std::vector<std::size_t>& exact_cells) {
  if (counts.num_cells() != sums.num_cells() || counts.dimensions().size() != sums.dimensions().size())
    throw InvalidArgument("means: the count table and the table of sums have different shapes");
  std::vector<char> exact(counts.num_cells(), 0);
  for (std::size_t c : exact_cells) exact.at(c) = 1;
  std::vector<double> out(counts.num_cells(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t c = 0; c < counts.num_cells(); ++c) {
    const double n = counts.cell(c).value;
    if (counts.cell(c).records != sums.cell(c).records || counts.label(c) != sums.label(c))
      throw InvalidArgument("means: cell " + counts.label(c) + " differs between the count table and the table of sums");
    if (n <= 0 || statistic_withheld(rule, n, exact[c])) continue;
    out[c] = sums.cell(c).value / n;
  }
  return out;
}

}  // namespace sdcore
