// Secondary suppression by Gaussian elimination (SecondaryMethod::kGauss): the idea of Langsrud
// (2024), "Secondary cell suppression by Gaussian elimination: an algorithm suitable for handling
// issues with zeros and singletons", Journal of Official Statistics 40(4), written here in the
// "relation" form, which suits any problem audit.hpp describes (linked tables included).
//
// Cells are published one at a time, the forced ones (not candidates) first, then the candidates
// from the most to the least costly, and a candidate is suppressed instead when publishing it
// would let an attacker recompute a primary cell exactly from the relations and the published
// cells (a-priori bounds are ignored). The relations restricted to the unpublished cells are
// kept in reduced row echelon form (RREF): every row has a pivot cell that no other row holds.
// Then a cell p is recomputable iff some row is {p} alone: a combination of rows equal to e_p
// gives every other row's pivot the coefficient of that row only, which must be 0, so it is a
// multiple of p's own row. Publishing a cell deletes its column from the RREF, which either only
// shortens rows (a non-pivot) or gives one row a new pivot, eliminated from the other rows.
//
// Pivots: the cell published last (primary cells, which never are, then the cheapest), ties to
// the cell in fewest rows, then the lowest index. Most publications are then of non-pivot
// cells, which cost a few binary searches and create no fill-in.
//
// Numerics: doubles with a relative drop tolerance. Coefficients are integers for tables (mostly
// +-1), but AuditTerm allows any finite coefficient, and exact rationals would cost far more on
// 1M-cell tables than the elimination itself; pivots are scaled to 1, so entries stay of the
// order of the relations' coefficients. |a| <= kDrop * (largest |entry| of the result) is
// cancellation residue and dropped.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "detail/secondary_internal.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {

using Id = std::uint32_t;
constexpr Id kNone = std::numeric_limits<Id>::max();
constexpr double kDrop = 1e-9;
constexpr std::size_t kProgressEvery = 1024;

struct Entry {
  Id cell;
  double coef;
};
using Row = std::vector<Entry>;  // sorted by cell, no zero coefficients

const Entry* find_entry(const Row& row, Id cell) {
  auto it = std::lower_bound(row.begin(), row.end(), cell, [](const Entry& e, Id c) { return e.cell < c; });
  return it != row.end() && it->cell == cell ? &*it : nullptr;
}

void drop_small(Row& row) {
  double scale = 0;
  for (const Entry& e : row) scale = std::max(scale, std::abs(e.coef));
  std::erase_if(row, [&](const Entry& e) { return std::abs(e.coef) <= kDrop * scale; });
}

// s - f * r over the cells not yet published, without cell `gone` (whose coefficient the caller
// made cancel exactly).
Row combine(const Row& s, double f, const Row& r, Id gone, const std::vector<char>& published) {
  Row out;
  out.reserve(s.size() + r.size());
  std::size_t i = 0, j = 0;
  while (i < s.size() || j < r.size()) {
    if (j == r.size() || (i < s.size() && s[i].cell < r[j].cell)) {
      out.push_back(s[i++]);
    } else if (i == s.size() || r[j].cell < s[i].cell) {
      out.push_back({r[j].cell, -f * r[j].coef});
      ++j;
    } else {
      out.push_back({s[i].cell, s[i].coef - f * r[j].coef});
      ++i, ++j;
    }
    if (out.back().cell == gone || out.back().coef == 0 || published[out.back().cell]) out.pop_back();
  }
  drop_small(out);
  return out;
}

// The RREF of the relations over the unpublished cells, with an index from each unpublished cell
// to the rows that hold it. Deletion is lazy, as publishing a cell must not cost the length of
// every row that holds it: a row keeps the entries of published cells until they make up half
// of it, and counts its live entries.
class Echelon {
 public:
  Echelon(std::size_t cells, std::vector<char> primary, std::vector<std::size_t> late)
      : row_of_(cells, kNone), rows_of_(cells), primary_(std::move(primary)), late_(std::move(late)),
        published_(cells, 0), acc_(cells, 0.0), seen_(cells, 0) {}

  // Adds a relation (terms over unpublished cells only); dependent ones vanish.
  void add(const Row& relation) {
    Row row = reduce(relation);
    if (row.empty()) return;
    const Id k = choose_pivot(row);
    normalise(row, k);
    for (Id s : rows_with(k)) replace(s, eliminate(s, row, k));
    const Id id = static_cast<Id>(rows_.size());
    rows_.emplace_back();
    live_.push_back(0);
    pivot_.push_back(k);
    replace(id, std::move(row));
    row_of_[k] = id;
  }

  // Publishes cell c, unless that would leave a primary cell alone in a row, i.e. recomputable;
  // then nothing changes and false is returned.
  bool publish(Id c) {
    if (!(row_of_[c] == kNone ? publish_free(c) : publish_pivot(c))) return false;
    published_[c] = 1;
    std::vector<Id>().swap(rows_of_[c]);
    return true;
  }

 private:
  // c is in no row's pivot: deleting it only shortens the rows that hold it.
  bool publish_free(Id c) {
    const std::vector<Id>& rows = rows_of_[c];  // not changed below: compacting keeps the index
    for (Id s : rows) {
      if (primary_[pivot_[s]] && live_[s] <= 2) return false;
    }
    published_[c] = 1;  // before compacting, which drops the entries of published cells
    for (Id s : rows) {
      if (--live_[s] * 2 >= rows_[s].size()) continue;
      std::erase_if(rows_[s], [&](const Entry& e) { return published_[e.cell]; });
    }
    return true;
  }

  // c is row r's pivot: the rest of r needs a new pivot k, eliminated from every other row.
  // Computed tentatively and committed only when no primary is left alone.
  bool publish_pivot(Id c) {
    const Id r = row_of_[c];
    Row rest;
    for (const Entry& e : rows_[r]) {
      if (e.cell != c && !published_[e.cell]) rest.push_back(e);
    }
    if (rest.empty()) {
      rows_[r].clear();
      live_[r] = 0;
      pivot_[r] = kNone;
      row_of_[c] = kNone;
      return true;
    }
    const Id k = choose_pivot(rest);
    if (primary_[k] && rest.size() == 1) return false;
    normalise(rest, k);
    std::vector<std::pair<Id, Row>> updated;
    for (Id s : rows_with(k)) {
      if (s == r) continue;
      updated.emplace_back(s, eliminate(s, rest, k));
      if (primary_[pivot_[s]] && updated.back().second.size() == 1) return false;
    }
    replace(r, std::move(rest));
    pivot_[r] = k;
    row_of_[k] = r;
    row_of_[c] = kNone;
    for (auto& [s, row] : updated) replace(s, std::move(row));
    return true;
  }

  // relation minus the multiples of the existing rows that clear their pivots from it. One
  // pass is enough: the rows subtracted hold no other pivot. A dense accumulator, as a row may
  // meet many pivots.
  Row reduce(const Row& relation) {
    std::vector<Id> touched;
    auto add = [&](const Row& row, double f) {
      for (const Entry& e : row) {
        if (published_[e.cell]) continue;
        if (!seen_[e.cell]) seen_[e.cell] = 1, touched.push_back(e.cell);
        acc_[e.cell] += f * e.coef;
      }
    };
    add(relation, 1.0);
    for (const Entry& e : relation) {
      const Id s = row_of_[e.cell];
      if (s == kNone) continue;
      const double f = acc_[e.cell];
      add(rows_[s], -f);
      acc_[e.cell] = 0;  // exactly: the pivot is cleared, not left as residue
    }
    std::sort(touched.begin(), touched.end());
    Row out;
    for (Id cell : touched) {
      if (acc_[cell] != 0) out.push_back({cell, acc_[cell]});
      acc_[cell] = 0, seen_[cell] = 0;
    }
    drop_small(out);
    return out;
  }

  // Row s minus the multiple of `row` (whose pivot k has coefficient 1) that clears k from it.
  Row eliminate(Id s, const Row& row, Id k) const {
    return combine(rows_[s], find_entry(rows_[s], k)->coef, row, k, published_);
  }

  Id choose_pivot(const Row& row) const {
    Id best = row.front().cell;
    for (const Entry& e : row) {
      const Id c = e.cell;
      if (late_[c] != late_[best] ? late_[c] > late_[best] : rows_of_[c].size() < rows_of_[best].size()) best = c;
    }
    return best;  // ties beyond that keep the lowest index, as the row is sorted
  }

  static void normalise(Row& row, Id pivot) {
    const double f = find_entry(row, pivot)->coef;
    for (Entry& e : row) e.coef = e.cell == pivot ? 1.0 : e.coef / f;
  }

  // The rows that hold `cell` (a copy, as updating them changes the index).
  std::vector<Id> rows_with(Id cell) const { return rows_of_[cell]; }

  // Row s becomes `row`; the index follows the cells it gains and loses (one walk over both).
  void replace(Id s, Row row) {
    const Row& old = rows_[s];
    std::size_t i = 0;
    for (const Entry& e : row) {
      for (; i < old.size() && old[i].cell < e.cell; ++i) unindex(old[i].cell, s);
      if (i < old.size() && old[i].cell == e.cell) {
        ++i;
      } else {
        rows_of_[e.cell].push_back(s);
      }
    }
    for (; i < old.size(); ++i) unindex(old[i].cell, s);
    live_[s] = static_cast<Id>(row.size());
    rows_[s] = std::move(row);
  }

  void unindex(Id cell, Id s) {
    if (published_[cell]) return;  // its list is gone
    std::vector<Id>& list = rows_of_[cell];
    auto it = std::find(list.begin(), list.end(), s);
    *it = list.back();
    list.pop_back();
  }

  std::vector<Row> rows_;
  std::vector<Id> live_;                 // per row: entries of cells not yet published
  std::vector<Id> pivot_;                // per row; kNone once the row is gone
  std::vector<Id> row_of_;               // per cell: the row it is the pivot of, or kNone
  std::vector<std::vector<Id>> rows_of_;  // per unpublished cell: the rows that hold it
  std::vector<char> primary_;
  std::vector<std::size_t> late_;  // per cell: position in the publication order; primary cells last
  std::vector<char> published_;
  std::vector<double> acc_;        // reduce()'s dense accumulator, all 0 between calls
  std::vector<char> seen_;
};

// Candidates from the most to the least costly; ties in ascending cell index.
std::vector<Id> candidate_order(const SecondaryInput& in) {
  std::vector<Id> order;
  for (std::size_t i = 0; i < in.candidate.size(); ++i) {
    if (in.candidate[i]) order.push_back(static_cast<Id>(i));
  }
  std::stable_sort(order.begin(), order.end(), [&](Id a, Id b) { return in.cost[a] > in.cost[b]; });
  return order;
}

}  // namespace

void gauss_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result) {
  const AuditProblem& p = in.problem;
  const std::size_t n = p.cells.size();
  if (n >= kNone) throw InvalidArgument("secondary suppression (gauss): more than 2^32 - 2 cells");
  std::vector<char> primary(n), forced(n);
  for (std::size_t i = 0; i < n; ++i) {
    primary[i] = p.cells[i].suppressed ? 1 : 0;
    forced[i] = !primary[i] && !in.candidate[i];
  }
  const std::vector<Id> order = candidate_order(in);
  // Forced cells are published from the start, so they never enter the rows: deleting their
  // columns is what publishing them does.
  std::vector<std::size_t> late(n, 0);
  for (std::size_t k = 0; k < order.size(); ++k) late[order[k]] = k + 1;
  for (std::size_t i = 0; i < n; ++i) {
    if (primary[i]) late[i] = n + 1;
  }
  Echelon rref(n, primary, std::move(late));
  for (const AuditRelation& rel : p.relations) {
    Row row;
    for (const AuditTerm& t : rel.terms) {
      if (!forced[t.cell]) row.push_back({static_cast<Id>(t.cell), t.coefficient});
    }
    std::sort(row.begin(), row.end(), [](const Entry& a, const Entry& b) { return a.cell < b.cell; });
    rref.add(row);
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (!rref.publish(order[k])) suppressed[order[k]] = 1;
    result.iterations = k + 1;
    if (in.options.progress && ((k + 1) % kProgressEvery == 0 || k + 1 == order.size())) {
      in.options.progress(k + 1, order.size());
    }
  }
}

}  // namespace sdcore::detail
