// Modular secondary suppression of a hierarchical table (SecondaryMethod::kModular), after de
// Wolf's HiTaS (2002), the "Modular" method of tau-Argus. The table is cut into non-hierarchical
// sub-tables, one per choice of a non-leaf node n_d in every dimension d: the cells whose node in
// each dimension is n_d or a child of it, with the table's relations that lie wholly inside.
// Sub-tables are protected top-down (increasing sum of depths), each on its own and optimally
// (kOptimal), so the large whole-table MIP becomes many small ones:
//
//  - a cell suppressed by an earlier sub-table counts as primary in a later one. A primary keeps
//    its own protection; a secondary inherited from above gets only the sliding protection
//    10 * tolerance * max(1, |value|), the floor kNetwork and kOptimal use to mean "not exact".
//    A secondary cell carries no risk of its own: it must only not be recomputable from the
//    lower table, which would hand the attacker back the value the higher table hid. Giving it a
//    primary's protection would over-suppress lower tables on most tables, and the guarantee for
//    the primaries comes from the last step below anyway;
//  - a cell already published by a sub-table protected earlier (and not reopened since) stays
//    published: suppressing it would change that sub-table's pattern after the fact. When a
//    sub-table cannot be protected with those cells fixed, it is solved again with them free,
//    and every sub-table whose published cell it then suppresses is protected again, in a later
//    pass (suppression only grows, so this ends; at most SubTablePasses::kMaxPasses passes).
//
// A sub-table sees only its own relations, so an attacker combining several can know more than
// any sub-table's view allows. Last, kNetwork runs on the whole table from the modular pattern
// (its cells cost nothing there): it protects every primary cell in the whole table, adding
// cells only where the sub-tables' views missed a combination, and reports what no pattern can
// protect.

#include <algorithm>
#include <chrono>
#include <cmath>

#include "detail/secondary_internal.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
// A sub-table solved after the time limit still needs a protected pattern: kOptimal then
// returns its kNetwork start, which this much time is enough for it to reach.
constexpr double kMinSeconds = 1e-3;

// The nodes a sub-table may be built on in `dim`: its non-leaf nodes, or the root alone.
std::vector<std::size_t> choosable(const Dimension& dim) {
  std::vector<std::size_t> out;
  for (std::size_t node = 0; node < dim.size(); ++node) {
    if (!dim.is_leaf(node)) out.push_back(node);
  }
  if (out.empty()) out.push_back(dim.root());
  return out;
}

// The cells of the cross product over d of {n_d} and the children of n_d, ascending.
std::vector<std::size_t> cells_of(const Tabulation& table, const std::vector<std::size_t>& nodes) {
  const auto& dims = table.dimensions();
  std::vector<std::vector<std::size_t>> sets(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) {
    sets[d] = dims[d].children(nodes[d]);
    sets[d].push_back(nodes[d]);
  }
  std::vector<std::size_t> at(dims.size(), 0), pick(dims.size()), out;
  while (true) {
    for (std::size_t d = 0; d < dims.size(); ++d) pick[d] = sets[d][at[d]];
    out.push_back(table.index(pick));
    std::size_t d = dims.size();
    while (d-- > 0 && ++at[d] == sets[d].size()) at[d] = 0;
    if (d == kNone) break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Modular {
 public:
  Modular(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result)
      : in_(in), suppressed_(suppressed), result_(result), passes_(*in.table, in.problem.cells.size()),
        local_(in.problem.cells.size(), kNone) {
    sub_options_ = in.options;
    sub_options_.method = SecondaryMethod::kOptimal;
    sub_options_.never_suppress.clear();  // in the candidates already
    sub_options_.weights.clear();         // in the costs already
    sub_options_.progress = nullptr;
  }

  void run() {
    const auto deadline = Clock::now() + std::chrono::duration<double>(in_.options.time_limit);
    passes_.run(
        [&](std::size_t s) {
          // An equal share of the time left for each sub-table still to do.
          const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
          sub_options_.time_limit = std::max(kMinSeconds, left / static_cast<double>(passes_.left()));
          protect(s);
        },
        [&] {
          if (in_.options.progress) in_.options.progress(result_.iterations, result_.iterations + passes_.left());
        });
  }

 private:
  // Sub-table s as a problem of its own: its cells, suppressed as they are now, and its relations.
  AuditProblem sub_problem(const ModularSubTable& sub) {
    AuditProblem p;
    p.cells.resize(sub.cells.size());
    for (std::size_t k = 0; k < sub.cells.size(); ++k) {
      const std::size_t c = sub.cells[k];
      const AuditCell& from = in_.problem.cells[c];
      AuditCell& to = p.cells[k];
      to.label = from.label;
      to.value = from.value;
      to.lower_bound = from.lower_bound;
      to.upper_bound = from.upper_bound;
      to.suppressed = suppressed_[c] != 0;
      if (from.suppressed) {
        to.upper_protection = from.upper_protection;
        to.lower_protection = from.lower_protection;
        to.sliding_protection = from.sliding_protection;
      } else if (suppressed_[c]) {
        to.sliding_protection = 10 * in_.options.tolerance * std::max(1.0, std::abs(from.value));
      }
      local_[c] = k;
    }
    for (std::size_t r : sub.relations) {
      const AuditRelation& from = in_.problem.relations[r];
      AuditRelation to{from.label, {}};
      for (const AuditTerm& t : from.terms) to.terms.push_back({local_[t.cell], t.coefficient});
      p.relations.push_back(std::move(to));
    }
    return p;
  }

  // kOptimal on the sub-problem with these candidates; the pattern, and whether it protects all.
  bool attempt(const AuditProblem& p, const ModularSubTable& sub, const std::vector<char>& candidate,
               std::vector<char>& pattern) {
    std::vector<double> cost(sub.cells.size());
    for (std::size_t k = 0; k < cost.size(); ++k) cost[k] = in_.cost[sub.cells[k]];
    const SecondaryInput sub_in{p, sub_options_, std::move(cost), candidate, nullptr};
    pattern.assign(p.cells.size(), 0);
    for (std::size_t k = 0; k < pattern.size(); ++k) pattern[k] = p.cells[k].suppressed ? 1 : 0;
    SecondaryResult r;
    optimal_suppression(sub_in, pattern, r);
    ++result_.iterations;
    result_.lp_solves += r.lp_solves;
    result_.time_limit_reached = result_.time_limit_reached || r.time_limit_reached;
    return r.unprotectable.empty();
  }

  void protect(std::size_t s) {
    const ModularSubTable& sub = passes_.subs()[s];
    const AuditProblem p = sub_problem(sub);
    if (std::none_of(p.cells.begin(), p.cells.end(), [](const AuditCell& c) { return c.suppressed; })) return;
    std::vector<char> candidate(sub.cells.size(), 0);
    bool any_held = false;
    for (std::size_t k = 0; k < sub.cells.size(); ++k) {
      const std::size_t c = sub.cells[k];
      const bool fixed = passes_.held(c, s, suppressed_);
      candidate[k] = in_.candidate[c] && !suppressed_[c] && !fixed;
      any_held = any_held || (in_.candidate[c] && fixed);
    }
    std::vector<char> pattern;
    if (!attempt(p, sub, candidate, pattern) && any_held) {
      for (std::size_t k = 0; k < sub.cells.size(); ++k) {
        candidate[k] = in_.candidate[sub.cells[k]] && !suppressed_[sub.cells[k]];
      }
      attempt(p, sub, candidate, pattern);
    }
    for (std::size_t k = 0; k < sub.cells.size(); ++k) {
      const std::size_t c = sub.cells[k];
      if (!pattern[k] || suppressed_[c]) continue;
      suppressed_[c] = 1;
      passes_.reopen(c, s);
    }
  }

  const SecondaryInput& in_;
  std::vector<char>& suppressed_;
  SecondaryResult& result_;
  SecondaryOptions sub_options_;
  SubTablePasses passes_;
  std::vector<std::size_t> local_;  // cell -> its index in the sub-problem being built
};

}  // namespace

std::vector<ModularSubTable> modular_subtables(const Tabulation& table) {
  const auto& dims = table.dimensions();
  // (dimension, total cell) -> its relation: a relation is named by where its total is.
  const std::vector<Tabulation::Relation> relations = table.relations();
  std::vector<std::vector<std::size_t>> relation_at(dims.size(), std::vector<std::size_t>(table.num_cells(), kNone));
  for (std::size_t r = 0; r < relations.size(); ++r) relation_at[relations[r].dimension][relations[r].total] = r;
  std::vector<std::vector<std::size_t>> options(dims.size());
  for (std::size_t d = 0; d < dims.size(); ++d) options[d] = choosable(dims[d]);
  std::vector<ModularSubTable> out;
  std::vector<std::size_t> at(dims.size(), 0);
  while (true) {
    ModularSubTable sub;
    for (std::size_t d = 0; d < dims.size(); ++d) {
      sub.nodes.push_back(options[d][at[d]]);
      sub.depth += dims[d].depth(sub.nodes[d]);
    }
    sub.cells = cells_of(table, sub.nodes);
    // A relation lies wholly inside exactly when its total has n_d in its own dimension d and
    // the sub-table's nodes elsewhere (its parts are then n_d's children): those are all of them.
    for (std::size_t c : sub.cells) {
      const std::vector<std::size_t> nodes = table.nodes(c);
      for (std::size_t d = 0; d < dims.size(); ++d) {
        if (nodes[d] == sub.nodes[d] && relation_at[d][c] != kNone) sub.relations.push_back(relation_at[d][c]);
      }
    }
    std::sort(sub.relations.begin(), sub.relations.end());
    out.push_back(std::move(sub));
    std::size_t d = dims.size();
    while (d-- > 0 && ++at[d] == options[d].size()) at[d] = 0;
    if (d == kNone) break;
  }
  std::stable_sort(out.begin(), out.end(), [](const ModularSubTable& a, const ModularSubTable& b) {
    return a.depth < b.depth;
  });
  return out;
}

void modular_suppression(const SecondaryInput& in, std::vector<char>& suppressed, SecondaryResult& result) {
  if (in.table == nullptr || in.table->num_cells() != in.problem.cells.size()) {
    throw Error("secondary suppression: modular needs the problem of its tabulation");
  }
  Modular(in, suppressed, result).run();
  // The guarantee: every primary protected against all relations at once. Its progress is not
  // reported: the units would be kNetwork's, not sub-tables.
  SecondaryOptions quiet = in.options;
  quiet.progress = nullptr;
  const SecondaryInput whole_in{in.problem, quiet, in.cost, in.candidate, in.table};
  SecondaryResult whole;
  network_suppression(whole_in, suppressed, whole);
  // A sub-table's cell can be exact in the whole table; it protects nothing there.
  publish_exact_secondaries(in, suppressed, std::vector<char>(suppressed.size(), 0));
  result.unprotectable = whole.unprotectable;
  result.lp_solves += whole.lp_solves;
  result.lower_bound = 0;
  result.optimal = false;
}

}  // namespace sdcore::detail
