// A tabulation with cell statuses as an audit problem (see suppression.hpp): the bridge between
// the table model and the independent audit.

#include "sdcore/error.hpp"
#include "sdcore/suppression.hpp"

namespace sdcore {

AuditProblem audit_problem(const Tabulation& table, const std::vector<CellStatus>& status,
                           const std::vector<double>& upper, const std::vector<double>& lower) {
  const std::size_t n = table.num_cells();
  if (status.size() != n || upper.size() != n || lower.size() != n) {
    throw InvalidArgument("audit_problem: status and protection need one entry per cell (" + std::to_string(n) + ")");
  }
  AuditProblem p;
  p.cells.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const TabularCell& c = table.cell(i);
    AuditCell& a = p.cells[i];
    a.label = table.label(i);
    a.value = c.value;
    a.suppressed = status[i] == CellStatus::kPrimary || status[i] == CellStatus::kSecondary;
    a.upper_protection = upper[i];
    a.lower_protection = lower[i];
    for (std::size_t k = 0; k < c.top.size() && k < c.top_holder.size(); ++k) {
      a.contributions.push_back({c.top_holder[k], c.top[k]});
    }
  }
  for (const Tabulation::Relation& r : table.relations()) {
    AuditRelation a;
    a.label = table.label(r.total) + " = sum over " + table.dimensions()[r.dimension].name();
    a.terms.push_back({r.total, -1.0});
    for (std::size_t part : r.parts) a.terms.push_back({part, 1.0});
    p.relations.push_back(std::move(a));
  }
  return p;
}

}  // namespace sdcore
