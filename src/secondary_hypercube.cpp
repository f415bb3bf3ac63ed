// Hypercube secondary suppression (SecondaryMethod::kHypercube), after Repsilber's GHMITER
// (Giessing & Repsilber 2002, "Tools and strategies to protect multiple tables with the GHQUAR
// cell suppression engine"), the hypercube method of tau-Argus and sdcTable.
//
// In a non-hierarchical table with margins, choose for a suppressed cell p = (a_1..a_m) another
// code b_d in every dimension; the 2^m cells that take a_d or b_d in each dimension are the corners
// of a hypercube. Move p by t and every corner by sign * t, where a corner's sign is the product,
// over the dimensions where it takes b_d, of -1 when a_d and b_d are both parts of the total and +1
// when one of them is the total. Every relation of the table (a line along one dimension: total =
// sum of parts) then meets the corners in pairs whose changes cancel, so the moved table is one
// the attacker cannot tell from the true one. If every corner is suppressed and can move that far
// within its a-priori bounds, the move is a proof that p's interval reaches t above (and, moving
// by -t, below) its value: no linear programme is needed. The method picks, for each suppressed
// cell, the cheapest such hypercube (corners already suppressed cost nothing) and suppresses it.
// Every corner is then protected by the same move.
//
// A hierarchical table is cut into the sub-tables kModular uses (a non-leaf node and its children
// in every dimension), processed top-down; a cell suppressed in one sub-table is protected, as
// "not exact", in every other sub-table holding it; cells published by a sub-table already done
// are not used unless no hypercube exists without them (and that sub-table is then done again).
// A hypercube whose corners lie in relations outside its sub-table is not a move of the whole
// table, so each primary's hypercube is checked against every relation of the whole table; the
// primaries without such a proof (only possible in hierarchical tables) are then protected by
// kNetwork's linear programmes over the whole table, which also reports what cannot be protected.
//
// In a two-way sub-table a cell is first looked for on a cycle of cells already suppressed (a
// rectangle is the shortest such cycle; see detail/suppressed_cycles.hpp): primaries then protect
// one another without more suppression, which the hypercubes alone cannot see.
//
// The search: in each dimension, the codes b_d whose "edge" corner (p with only a_d changed) is
// usable, cheapest first, at most kCombinations^(1/m) of them; the hypercubes over those lists
// are enumerated, cheapest edges first, skipping those whose edges alone cost more than the best
// found. Work per cell is bounded, so the method scales to tables of millions of cells.

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <utility>

#include "detail/secondary_internal.hpp"
#include "detail/suppressed_cycles.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr double kCombinations = 2048;      // hypercubes tried per cell, at most

struct Move {
  double up = 0, down = 0;  // how far p must move up and down (0: that direction not needed)
};

// One code of a dimension, as the other side of a hypercube.
struct Side {
  double cost;
  std::size_t node;
  int sign;  // of the corner that differs from p only in this dimension
};

struct Cube {
  double cost = 0;
  std::vector<std::size_t> corners;  // without p
  std::vector<int> signs;
};

// A two-way sub-table being processed: its two dimensions' codes (the parts, then the total) and
// the cycles of its suppressed cells.
struct Plane {
  std::size_t dim[2];
  std::vector<std::size_t> node[2];      // position -> node
  std::vector<std::size_t> position[2];  // node -> position (only the sub-table's nodes)
  SuppressedCycles cycles;
  Plane(const Tabulation& t, const ModularSubTable& sub, std::size_t d0, std::size_t d1)
      : dim{d0, d1}, cycles(t.dimensions()[d0].children(sub.nodes[d0]).size() + 1,
                            t.dimensions()[d1].children(sub.nodes[d1]).size() + 1) {
    for (int k = 0; k < 2; ++k) {
      const Dimension& d = t.dimensions()[dim[k]];
      node[k] = d.children(sub.nodes[dim[k]]);
      node[k].push_back(sub.nodes[dim[k]]);
      position[k].assign(d.size(), 0);
      for (std::size_t i = 0; i < node[k].size(); ++i) position[k][node[k][i]] = i;
    }
  }
};

class Hypercube {
 public:
  Hypercube(const SecondaryInput& in, std::vector<char>& suppressed)
      : in_(in), table_(*in.table), suppressed_(suppressed), passes_(table_, in.problem.cells.size()),
        proven_up_(in.problem.cells.size(), 0), proven_down_(in.problem.cells.size(), 0),
        moved_(in.problem.cells.size(), 0),
        incidence_start_(in.problem.cells.size() + 1, 0) {
    const auto& dims = table_.dimensions();
    const std::vector<std::size_t> origin(dims.size(), 0);
    const std::size_t base = table_.index(origin);
    for (std::size_t d = 0; d < dims.size(); ++d) {
      std::vector<std::size_t> unit = origin;
      unit[d] = dims[d].size() > 1 ? 1 : 0;
      stride_.push_back(table_.index(unit) - base);
    }
    build_incidence();
  }

  void run(const ProgressCallback& progress, std::size_t& iterations) {
    passes_.run([&](std::size_t s) { protect_sub(s); },
                [&] {
                  ++iterations;
                  if (progress) progress(iterations, iterations + passes_.left());
                });
  }

  // Cells shifted by a hypercube (or cycle) that is a move of the whole table: not exact.
  const std::vector<char>& moved() const noexcept { return moved_; }

  // Primary cells whose moves (primary_moves) both have a hypercube of the whole table.
  std::vector<char> proven() const {
    std::vector<char> out(proven_up_.size(), 0);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = proven_up_[i] && proven_down_[i];
    return out;
  }

 private:
  void build_incidence() {
    const auto& relations = in_.problem.relations;
    for (const AuditRelation& r : relations) {
      for (const AuditTerm& t : r.terms) ++incidence_start_[t.cell + 1];
    }
    std::partial_sum(incidence_start_.begin(), incidence_start_.end(), incidence_start_.begin());
    incidence_.resize(incidence_start_.back());
    std::vector<std::size_t> fill(incidence_start_.begin(), incidence_start_.end() - 1);
    for (std::size_t r = 0; r < relations.size(); ++r) {
      for (const AuditTerm& t : relations[r].terms) incidence_[fill[t.cell]++] = {r, t.coefficient};
    }
  }

  // Whether moving p by +1 and the corners by their signs keeps every relation of the table.
  bool keeps_every_relation(std::size_t p, const Cube& cube) {
    std::vector<std::pair<std::size_t, double>>& change = scratch_;
    change.clear();
    const auto add = [&](std::size_t cell, double sign) {
      for (std::size_t k = incidence_start_[cell]; k < incidence_start_[cell + 1]; ++k) {
        change.emplace_back(incidence_[k].first, sign * incidence_[k].second);
      }
    };
    add(p, 1);
    for (std::size_t k = 0; k < cube.corners.size(); ++k) add(cube.corners[k], cube.signs[k]);
    std::sort(change.begin(), change.end());
    for (std::size_t k = 0; k < change.size();) {
      double sum = 0;
      std::size_t j = k;
      for (; j < change.size() && change[j].first == change[k].first; ++j) sum += change[j].second;
      if (std::abs(sum) > 1e-9) return false;
      k = j;
    }
    return true;
  }

  // Whether cell c may be a corner with this sign for `move`, and what it costs (0 if suppressed).
  bool usable(std::size_t c, int sign, const Move& move, std::size_t s, bool allow_held, double& cost) const {
    if (!suppressed_[c] && !(in_.candidate[c] && (allow_held || !passes_.held(c, s, suppressed_)))) return false;
    const AuditCell& cell = in_.problem.cells[c];
    const double up_room = sign > 0 ? up_capacity(cell) : down_capacity(cell);
    const double down_room = sign > 0 ? down_capacity(cell) : up_capacity(cell);
    const auto fits = [](double room, double need) { return need <= 0 || room >= need - 1e-9 * std::max(1.0, need); };
    if (!fits(up_room, move.up) || !fits(down_room, move.down)) return false;
    cost = suppressed_[c] ? 0.0 : in_.cost[c];
    return true;
  }

  // The cheapest hypercube through p in sub-table s for `move`; false if none is found.
  bool search(std::size_t p, const Move& move, std::size_t s, bool allow_held, Cube& best) {
    const auto& dims = table_.dimensions();
    const ModularSubTable& sub = passes_.subs()[s];
    const std::vector<std::size_t> at = table_.nodes(p);
    std::vector<std::size_t> vary;  // dimensions whose sub-table side has more than one code
    std::vector<std::vector<Side>> sides;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const std::vector<std::size_t>& kids = dims[d].children(sub.nodes[d]);
      if (kids.empty()) continue;
      vary.push_back(d);
      sides.emplace_back();
      const auto consider = [&](std::size_t node) {
        if (node == at[d]) return;
        const int sign = (node == sub.nodes[d] || at[d] == sub.nodes[d]) ? 1 : -1;
        const std::size_t e = p + node * stride_[d] - at[d] * stride_[d];
        double cost = 0;
        if (usable(e, sign, move, s, allow_held, cost)) sides.back().push_back({cost, node, sign});
      };
      for (std::size_t node : kids) consider(node);
      consider(sub.nodes[d]);
      if (sides.back().empty()) return false;
    }
    if (vary.empty()) return false;
    const auto keep = static_cast<std::size_t>(
        std::max(2.0, std::floor(std::pow(kCombinations, 1.0 / static_cast<double>(vary.size())) + 1e-9)));
    for (auto& list : sides) {
      const auto cheaper = [](const Side& a, const Side& b) { return a.cost < b.cost || (a.cost == b.cost && a.node < b.node); };
      if (list.size() > keep) {
        std::nth_element(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(keep), list.end(), cheaper);
        list.resize(keep);
      }
      std::sort(list.begin(), list.end(), cheaper);
    }
    best.cost = std::numeric_limits<double>::infinity();
    std::vector<std::size_t> pick(vary.size(), 0);
    enumerate(p, move, s, allow_held, at, vary, sides, pick, 0, 0.0, best);
    return std::isfinite(best.cost);
  }

  // Depth-first over the dimensions' sides; at the leaves, the hypercube's corners are checked.
  void enumerate(std::size_t p, const Move& move, std::size_t s, bool allow_held, const std::vector<std::size_t>& at,
                 const std::vector<std::size_t>& vary, const std::vector<std::vector<Side>>& sides,
                 std::vector<std::size_t>& pick, std::size_t level, double edges, Cube& best) {
    if (best.cost == 0) return;
    if (level < vary.size()) {
      for (std::size_t k = 0; k < sides[level].size(); ++k) {
        const double with = edges + sides[level][k].cost;
        if (with >= best.cost) break;  // sorted: the rest cost more
        pick[level] = k;
        enumerate(p, move, s, allow_held, at, vary, sides, pick, level + 1, with, best);
      }
      return;
    }
    Cube cube;
    cube.cost = 0;
    const std::size_t m = vary.size();
    for (std::size_t mask = 1; mask < (std::size_t{1} << m); ++mask) {
      std::size_t cell = p;
      int sign = 1;
      for (std::size_t j = 0; j < m; ++j) {
        if (!(mask >> j & 1)) continue;
        const Side& side = sides[j][pick[j]];
        cell = cell + side.node * stride_[vary[j]] - at[vary[j]] * stride_[vary[j]];
        sign *= side.sign;
      }
      double cost = 0;
      if (!usable(cell, sign, move, s, allow_held, cost)) return;
      cube.cost += cost;
      if (cube.cost >= best.cost) return;
      cube.corners.push_back(cell);
      cube.signs.push_back(sign);
    }
    best = std::move(cube);
  }

  // Suppresses the cube's corners; cells published by other sub-tables done already reopen them.
  void apply(const Cube& cube, std::size_t s) {
    for (std::size_t c : cube.corners) {
      if (suppressed_[c]) continue;
      suppressed_[c] = 1;
      if (plane_) add_to_plane(c);
      passes_.reopen(c, s);
    }
  }

  // Finds and applies a hypercube for `move`, first without cells published elsewhere.
  // Whether the cube was found is returned; `whole` says whether it is a move of the whole table.
  bool cover(std::size_t p, const Move& move, std::size_t s, Cube& cube, bool& whole) {
    if (!on_cycle(p, move, s, cube) && !search(p, move, s, false, cube) && !search(p, move, s, true, cube)) {
      return false;
    }
    apply(cube, s);
    whole = keeps_every_relation(p, cube);
    if (whole) {
      moved_[p] = 1;
      for (std::size_t c : cube.corners) moved_[c] = 1;
    }
    return true;
  }

  void protect_primary(std::size_t p, std::size_t s) {
    if (proven_up_[p] && proven_down_[p]) return;
    const PrimaryMoves need = primary_moves(in_.problem.cells[p], in_.options.tolerance);
    // A cell its bounds cannot protect is left to kNetwork, which reports it.
    if (!need.enough) return;
    if (need.up <= 0) proven_up_[p] = 1;
    if (need.down <= 0) proven_down_[p] = 1;
    Cube cube;
    bool whole = false;
    if (cover(p, Move{need.up, need.down}, s, cube, whole)) {
      if (whole) proven_up_[p] = proven_down_[p] = 1;
      return;
    }
    for (const Move move : {Move{need.up, 0}, Move{0, need.down}}) {
      if (move.up <= 0 && move.down <= 0) continue;
      if (cover(p, move, s, cube, whole) && whole) (move.up > 0 ? proven_up_ : proven_down_)[p] = 1;
    }
  }

  // A cell suppressed elsewhere must not be exact in this sub-table either: any move will do.
  void protect_inherited(std::size_t c, std::size_t s) {
    const double t = 10 * in_.options.tolerance * std::max(1.0, std::abs(in_.problem.cells[c].value));
    Cube cube;
    bool whole = false;
    if (!cover(c, Move{t, 0}, s, cube, whole)) cover(c, Move{0, t}, s, cube, whole);
  }

  void add_to_plane(std::size_t c) {
    const std::vector<std::size_t> at = table_.nodes(c);
    plane_->cycles.add(plane_->position[0][at[plane_->dim[0]]], plane_->position[1][at[plane_->dim[1]]]);
  }

  // A cycle of suppressed cells through p in the two-way sub-table s that can move with it.
  bool on_cycle(std::size_t p, const Move& move, std::size_t s, Cube& cube) {
    if (!plane_) return false;
    const Plane& pl = *plane_;
    const std::vector<std::size_t> at = table_.nodes(p);
    const std::size_t a0 = at[pl.dim[0]], a1 = at[pl.dim[1]];
    const std::size_t base = p - a0 * stride_[pl.dim[0]] - a1 * stride_[pl.dim[1]];
    const auto cell = [&](std::size_t r, std::size_t c) {
      return base + pl.node[0][r] * stride_[pl.dim[0]] + pl.node[1][c] * stride_[pl.dim[1]];
    };
    std::vector<SuppressedCycles::Step> steps;
    double unused = 0;
    const auto ok = [&](std::size_t r, std::size_t c, int sign) { return usable(cell(r, c), sign, move, s, true, unused); };
    if (!pl.cycles.find(pl.position[0][a0], pl.position[1][a1], ok, steps)) return false;
    cube = Cube{};
    for (const auto& step : steps) {
      cube.corners.push_back(cell(step.row, step.col));
      cube.signs.push_back(step.sign);
    }
    return true;
  }

  void protect_sub(std::size_t s) {
    const auto& cells = in_.problem.cells;
    plane_.reset();
    const auto& dims = table_.dimensions();
    std::vector<std::size_t> two;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      if (!dims[d].children(passes_.subs()[s].nodes[d]).empty()) two.push_back(d);
    }
    if (two.size() == 2) {
      plane_ = std::make_unique<Plane>(table_, passes_.subs()[s], two[0], two[1]);
      for (std::size_t c : passes_.subs()[s].cells) {
        if (suppressed_[c]) add_to_plane(c);
      }
    }
    std::vector<std::size_t> primaries, inherited;
    for (std::size_t c : passes_.subs()[s].cells) {
      if (cells[c].suppressed) primaries.push_back(c);
      else if (suppressed_[c]) inherited.push_back(c);
    }
    // Largest protection first, as kNetwork: its hypercube is the one others can reuse.
    std::stable_sort(primaries.begin(), primaries.end(), [&](std::size_t a, std::size_t b) {
      return cells[a].upper_protection + cells[a].lower_protection > cells[b].upper_protection + cells[b].lower_protection;
    });
    for (std::size_t p : primaries) protect_primary(p, s);
    for (std::size_t c : inherited) protect_inherited(c, s);
  }

  const SecondaryInput& in_;
  const Tabulation& table_;
  std::vector<char>& suppressed_;
  SubTablePasses passes_;
  std::vector<char> proven_up_, proven_down_;     // per cell: that move has a whole-table hypercube
  std::vector<char> moved_;                       // per cell: shifted by a whole-table hypercube
  std::vector<std::size_t> stride_;               // per dimension: cell index step of one node
  std::vector<std::size_t> incidence_start_;      // cell -> its range in incidence_
  std::vector<std::pair<std::size_t, double>> incidence_;  // (relation, coefficient)
  std::vector<std::pair<std::size_t, double>> scratch_;
  std::unique_ptr<Plane> plane_;  // the two-way sub-table being processed, if it is one
};

}  // namespace

void hypercube_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result) {
  if (in.table == nullptr || in.table->num_cells() != in.problem.cells.size()) {
    throw Error("secondary suppression: hypercube needs the problem of its tabulation");
  }
  Hypercube cubes(in, suppressed);
  cubes.run(in.options.progress, result.iterations);
  // The guarantee: primaries without a hypercube of the whole table get kNetwork's proof.
  const std::vector<char> proven = cubes.proven();
  SecondaryOptions quiet = in.options;
  quiet.progress = nullptr;
  const SecondaryInput whole_in{in.problem, quiet, in.cost, in.candidate, in.table};
  SecondaryResult whole;
  const std::vector<char> before = suppressed;
  network_suppression(whole_in, suppressed, whole, &proven);
  // Cells kNetwork added are shifted by its moves; the corners of hypercubes that are not moves
  // of the whole table may be exact, and are then published again.
  std::vector<char> moved = cubes.moved();
  for (std::size_t i = 0; i < moved.size(); ++i) moved[i] = moved[i] || (suppressed[i] && !before[i]);
  publish_exact_secondaries(in, suppressed, std::move(moved));
  result.unprotectable = whole.unprotectable;
  result.lp_solves = whole.lp_solves;
}

}  // namespace sdcore::detail
