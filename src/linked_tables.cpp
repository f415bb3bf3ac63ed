// Linked tables as one problem (linked_tables.hpp).

#include "sdcore/linked_tables.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "detail/audit_internal.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

namespace {

using Key = std::vector<std::pair<std::string, std::string>>;  // (dimension, code), totals left out

Key cell_key(const Tabulation& t, std::size_t i) {
  const auto nodes = t.nodes(i);
  Key key;
  for (std::size_t d = 0; d < nodes.size(); ++d) {
    const Dimension& dim = t.dimensions()[d];
    if (nodes[d] != dim.root()) key.emplace_back(dim.name(), dim.code(nodes[d]));
  }
  std::sort(key.begin(), key.end());
  return key;
}

std::string key_label(const Key& key) {
  if (key.empty()) return "total";
  std::string s;
  for (const auto& [dim, code] : key) s += (s.empty() ? "" : ", ") + dim + "=" + code;
  return s;
}

void check_totals(const std::vector<LinkedTable>& tables) {
  std::map<std::string, std::pair<std::string, std::size_t>> total;  // dimension -> (total code, table)
  for (std::size_t t = 0; t < tables.size(); ++t) {
    for (const Dimension& d : tables[t].table.dimensions()) {
      const auto [it, fresh] = total.emplace(d.name(), std::make_pair(d.code(d.root()), t));
      if (!fresh && it->second.first != d.code(d.root())) {
        throw InvalidArgument("link_tables: dimension '" + d.name() + "' has total '" + it->second.first +
                              "' in table " + std::to_string(it->second.second) + " but '" + d.code(d.root()) +
                              "' in table " + std::to_string(t));
      }
    }
  }
}

void merge_cell(AuditCell& into, const AuditCell& from, const std::string& where) {
  if (std::abs(into.value - from.value) > 1e-9 * std::max(1.0, std::abs(into.value))) {
    throw InvalidArgument("link_tables: cell " + into.label + " is " + detail::format_number(into.value) +
                          " in one table and " + detail::format_number(from.value) + " in " + where);
  }
  into.suppressed = into.suppressed || from.suppressed;
  into.upper_protection = std::max(into.upper_protection, from.upper_protection);
  into.lower_protection = std::max(into.lower_protection, from.lower_protection);
  into.sliding_protection = std::max(into.sliding_protection, from.sliding_protection);
  if (into.contributions.empty()) into.contributions = from.contributions;
}

}  // namespace

LinkedTables link_tables(const std::vector<LinkedTable>& tables) {
  if (tables.empty()) throw InvalidArgument("link_tables: no tables");
  check_totals(tables);
  LinkedTables out;
  std::map<Key, std::size_t> index;
  std::set<std::vector<std::pair<std::size_t, double>>> seen;  // relations already taken
  std::vector<char> empty_everywhere;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const Tabulation& tab = tables[t].table;
    const PrimaryResult& p = tables[t].primary;
    if (p.status.size() != tab.num_cells() || p.upper.size() != tab.num_cells() || p.lower.size() != tab.num_cells()) {
      throw InvalidArgument("link_tables: the primary result of table " + std::to_string(t) + " does not match it");
    }
    const AuditProblem own = audit_problem(tab, p.status, p.upper, p.lower);
    std::vector<std::size_t>& map = out.cell.emplace_back(tab.num_cells());
    for (std::size_t i = 0; i < tab.num_cells(); ++i) {
      const Key key = cell_key(tab, i);
      const auto [it, fresh] = index.emplace(key, out.problem.cells.size());
      map[i] = it->second;
      if (fresh) {
        out.problem.cells.push_back(own.cells[i]);
        out.problem.cells.back().label = key_label(key);
        empty_everywhere.push_back(p.status[i] == CellStatus::kEmpty);
      } else {
        merge_cell(out.problem.cells[it->second], own.cells[i], "table " + std::to_string(t) + " (" + tab.label(i) + ")");
        empty_everywhere[it->second] = empty_everywhere[it->second] && p.status[i] == CellStatus::kEmpty;
      }
    }
    for (const AuditRelation& r : own.relations) {
      AuditRelation linked{r.label, {}};
      std::vector<std::pair<std::size_t, double>> sorted;
      for (const AuditTerm& term : r.terms) {
        linked.terms.push_back({map[term.cell], term.coefficient});
        sorted.emplace_back(map[term.cell], term.coefficient);
      }
      std::sort(sorted.begin(), sorted.end());
      if (seen.insert(sorted).second) out.problem.relations.push_back(std::move(linked));
    }
  }
  out.empty = std::move(empty_everywhere);
  return out;
}

std::vector<std::vector<CellStatus>> LinkedTables::statuses(const std::vector<CellStatus>& status) const {
  if (status.size() != problem.cells.size()) {
    throw InvalidArgument("LinkedTables::statuses: need one status per linked cell (" +
                          std::to_string(problem.cells.size()) + ")");
  }
  std::vector<std::vector<CellStatus>> out;
  for (const std::vector<std::size_t>& map : cell) {
    std::vector<CellStatus>& s = out.emplace_back(map.size());
    for (std::size_t i = 0; i < map.size(); ++i) {
      s[i] = status[map[i]];
      if (s[i] == CellStatus::kSafe && empty[map[i]]) s[i] = CellStatus::kEmpty;
    }
  }
  return out;
}

AuditProblem LinkedTables::published(const std::vector<CellStatus>& status) const {
  if (status.size() != problem.cells.size()) {
    throw InvalidArgument("LinkedTables::published: need one status per linked cell (" +
                          std::to_string(problem.cells.size()) + ")");
  }
  AuditProblem p = problem;
  for (std::size_t i = 0; i < status.size(); ++i) {
    p.cells[i].suppressed = status[i] == CellStatus::kPrimary || status[i] == CellStatus::kSecondary;
  }
  return p;
}

}  // namespace sdcore
