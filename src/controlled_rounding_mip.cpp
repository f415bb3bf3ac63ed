// Controlled rounding as a mixed-integer programme (any table; see
// docs/methods/controlled_rounding.md). A binary y_i per free cell (1: up to the next multiple),
// in units of the base: cell i rounds to low_i + y_i, and a relation total = sum(parts) becomes
//
//   sum_{free parts p} y_p - y_total = low_total - sum_p low_p        (y_total if the total is free),
//
// with distance sum_i b |low_i + y_i - value_i / b| = sum_i b r_i + sum_i b (1 - 2 r_i) y_i. The
// relaxed programme adds s+_r, s-_r >= 0 to each row and minimises b * sum(s+ + s-) plus the
// distance scaled down so far that it only breaks ties.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "detail/controlled_rounding_internal.hpp"
#include "detail/integer_mip.hpp"

namespace sdcore::detail {

namespace {

using Status = ControlledRoundingResult::Status;

// Columns of the free cells (column[i] = -1 for the others), their costs, and the rows.
struct RoundingModel {
  std::vector<std::ptrdiff_t> column;
  std::vector<std::size_t> cell_of;  // column -> cell
  IntegerMip mip;
  double constant = 0;          // the distance when every y is 0
  bool inconsistent = false;    // a row with no free cell whose constant side is not 0
};

RoundingModel build_model(const RoundingCells& cells, bool keep_empty_rows) {
  RoundingModel m;
  m.column.assign(cells.size(), -1);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!cells.free[i]) continue;
    m.column[i] = static_cast<std::ptrdiff_t>(m.cell_of.size());
    m.cell_of.push_back(i);
    m.mip.lower.push_back(0);
    m.mip.upper.push_back(1);
    m.mip.integer.push_back(1);
    m.mip.cost.push_back(cells.base * (1 - 2 * cells.residual[i]));
    m.constant += cells.base * cells.residual[i];
  }
  for (const Tabulation::Relation& r : cells.relations) {
    SparseRow row;
    row.rhs = cells.rhs(r);
    if (m.column[r.total] >= 0) row.entries.emplace_back(static_cast<int>(m.column[r.total]), -1.0);
    for (std::size_t p : r.parts) {
      if (m.column[p] >= 0) row.entries.emplace_back(static_cast<int>(m.column[p]), 1.0);
    }
    if (row.entries.empty() && !keep_empty_rows) {
      if (row.rhs != 0) m.inconsistent = true;
      continue;
    }
    m.mip.rows.push_back(std::move(row));
  }
  return m;
}

std::vector<char> up_flags(const RoundingModel& m, const std::vector<double>& x, std::size_t cells) {
  std::vector<char> up(cells, 0);
  for (std::size_t j = 0; j < m.cell_of.size(); ++j) up[m.cell_of[j]] = x[j] > 0.5 ? 1 : 0;
  return up;
}

Status status_of(IntegerMipSolution::Status s) {
  switch (s) {
    case IntegerMipSolution::Status::kOptimal: return Status::kOptimal;
    case IntegerMipSolution::Status::kFeasible: return Status::kFeasible;
    case IntegerMipSolution::Status::kInfeasible: return Status::kInfeasible;
    case IntegerMipSolution::Status::kUnknown: break;
  }
  return Status::kUnknown;
}

// Whether the 0/1 vector x meets every row exactly.
bool meets_rows(const IntegerMip& mip, const std::vector<double>& x) {
  for (const SparseRow& row : mip.rows) {
    double sum = 0;
    for (const auto& [col, coefficient] : row.entries) sum += coefficient * x[static_cast<std::size_t>(col)];
    if (sum != row.rhs) return false;
  }
  return true;
}

}  // namespace

RoundingSolve solve_rounding_mip(const RoundingCells& cells, const std::vector<char>& start, double seconds,
                                 std::uint32_t seed) {
  const RoundingModel m = build_model(cells, false);
  RoundingSolve out;
  if (m.inconsistent) {
    out.status = Status::kInfeasible;
    return out;
  }
  if (m.cell_of.empty()) {  // nothing to choose, and every relation holds
    out.status = Status::kOptimal;
    out.up.assign(cells.size(), 0);
    out.bound = m.constant;
    return out;
  }
  std::vector<double> x0;
  if (!start.empty()) {
    for (std::size_t i : m.cell_of) x0.push_back(start[i] ? 1.0 : 0.0);
    if (!meets_rows(m.mip, x0)) x0.clear();
  }
  const IntegerMipSolution s = solve_integer_mip(m.mip, x0, seconds, seed);
  out.status = status_of(s.status);
  if (!s.x.empty() && (out.status == Status::kOptimal || out.status == Status::kFeasible)) {
    out.up = up_flags(m, s.x, cells.size());
    out.bound = m.constant + std::max(s.bound, -m.constant);
  }
  return out;
}

RoundingSolve solve_relaxed_mip(const RoundingCells& cells, double seconds, std::uint32_t seed) {
  RoundingModel m = build_model(cells, true);
  const std::size_t n = m.cell_of.size();
  // Violations of different roundings differ by at least one base when no cell is kept, and the
  // scaled distance is below half a base: the violation is minimised first.
  const double tie = 1.0 / (2.0 * static_cast<double>(n + 1));
  for (double& c : m.mip.cost) c *= tie;
  std::vector<double> x0(n);
  for (std::size_t j = 0; j < n; ++j) x0[j] = cells.residual[m.cell_of[j]] >= 0.5 ? 1.0 : 0.0;
  for (SparseRow& row : m.mip.rows) {
    double sum = 0, reach = std::abs(row.rhs);
    for (const auto& [col, coefficient] : row.entries) sum += coefficient * x0[static_cast<std::size_t>(col)];
    reach += static_cast<double>(row.entries.size());
    const int plus = static_cast<int>(m.mip.cost.size());
    for (int k = 0; k < 2; ++k) {
      m.mip.lower.push_back(0);
      m.mip.upper.push_back(reach);
      m.mip.integer.push_back(0);
      m.mip.cost.push_back(cells.base);
    }
    row.entries.emplace_back(plus, 1.0);
    row.entries.emplace_back(plus + 1, -1.0);
    x0.push_back(std::max(row.rhs - sum, 0.0));
    x0.push_back(std::max(sum - row.rhs, 0.0));
  }
  const IntegerMipSolution s = solve_integer_mip(m.mip, x0, seconds, seed);
  RoundingSolve out;
  out.status = status_of(s.status);
  out.proven = s.status == IntegerMipSolution::Status::kOptimal;
  out.up = up_flags(m, s.x.empty() ? x0 : s.x, cells.size());
  return out;
}

}  // namespace sdcore::detail
