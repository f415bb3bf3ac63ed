// Tables: tabulations from records or from published long-format tables, the primary
// suppression rules, secondary suppression and the audit. sdcore/tables.py holds the Pythonic
// API; the Tabulation object stays native (its cells are read out as columns when a DataFrame
// is wanted).

#include <pybind11/stl.h>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/error.hpp"
#include "sdcore/hierarchy.hpp"
#include "sdcore/suppression.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore::py_glue {
namespace {

Tabulation run_tabulate(const py::list& columns, const std::vector<std::tuple<std::string, py::object, std::string>>& dims,
                        const std::string& value, const std::string& weight, const std::string& holding,
                        std::size_t top, const std::string& frequency) {
  const Table table = table_from_py(columns);
  std::vector<DimensionSpec> specs;
  for (const auto& [column, hierarchy, total] : dims) {
    specs.push_back(hierarchy.is_none() ? DimensionSpec(column) : DimensionSpec(column, hierarchy_from_py(column, hierarchy)));
    specs.back().total = total;
  }
  TabulateOptions o;
  o.value = value;
  o.weight = weight;
  o.holding = holding;
  o.top_contributions = top;
  o.frequency = frequency;
  py::gil_scoped_release release;
  return tabulate(table, specs, o);
}

// dims: (column, kind, source, total) with kind "flat" (source: leaf codes), "hierarchy"
// (source: path or rows) or "parents" (source: (code, parent) pairs).
Tabulation run_from_long(const py::list& columns,
                         const std::vector<std::tuple<std::string, std::string, py::object, std::string>>& dims,
                         const std::string& value, const std::string& margins, double tolerance, bool integers,
                         bool allow_negative) {
  const Table table = table_from_py(columns);
  std::vector<LongDimension> long_dims;
  for (const auto& [column, kind, source, total] : dims) {
    if (kind == "flat") {
      long_dims.push_back({column, Dimension::flat(column, source.cast<std::vector<std::string>>(), total)});
    } else if (kind == "hierarchy") {
      long_dims.push_back({column, Dimension::from_hierarchy(column, hierarchy_from_py(column, source))});
    } else if (kind == "parents") {
      long_dims.push_back(
          {column, Dimension::from_parents(column, source.cast<std::vector<std::pair<std::string, std::string>>>())});
    } else {
      throw InvalidArgument("dimension kind must be flat, hierarchy or parents, got '" + kind + "'");
    }
  }
  // "published": a table as published, missing values suppressed (audit_published).
  if (margins != "add" && margins != "check" && margins != "published") {
    throw InvalidArgument("margins must be 'add' or 'check', got '" + margins + "'");
  }
  LongTableOptions o;
  o.margins = margins == "add" ? Margins::kAdd : Margins::kCheck;
  o.missing_is_suppressed = margins == "published";
  o.tolerance = tolerance;
  o.integers = integers;
  o.allow_negative = allow_negative;
  py::gil_scoped_release release;
  return tabulation_from_long(table, long_dims, value, o);
}

py::dict run_primary(const Tabulation& t, const py::dict& r) {
  PrimaryRules rules;
  if (r.contains("frequency") && !r["frequency"].is_none()) {
    const auto f = r["frequency"].cast<std::tuple<std::int64_t, bool, double>>();
    rules.frequency = FrequencyRule{std::get<0>(f), std::get<1>(f), std::get<2>(f)};
  }
  for (const auto& [n, k] : r["dominance"].cast<std::vector<std::pair<std::size_t, double>>>()) {
    rules.dominance.push_back({n, k});
  }
  if (!r["p"].is_none()) rules.p_percent = PPercentRule{r["p"].cast<double>()};
  if (!r["pq"].is_none()) {
    const auto pq = r["pq"].cast<std::pair<double, double>>();
    rules.pq = PqRule{pq.first, pq.second};
  }
  rules.min_contributors = r["min_contributors"].cast<std::int64_t>();
  rules.zeros_unsafe = r["zeros_unsafe"].cast<bool>();
  rules.zero_protection = r["zero_protection"].cast<double>();
  rules.manual_unsafe = r["manual_unsafe"].cast<std::vector<std::size_t>>();
  rules.manual_protection = r["manual_protection"].cast<double>();
  rules.manual_safe = r["manual_safe"].cast<std::vector<std::size_t>>();
  PrimaryResult p;
  {
    py::gil_scoped_release release;
    p = primary_suppression(t, rules);
  }
  std::vector<std::int8_t> status(p.status.size());
  for (std::size_t i = 0; i < status.size(); ++i) status[i] = static_cast<std::int8_t>(p.status[i]);
  py::dict out;
  out["status"] = to_numpy(std::move(status));
  out["upper"] = to_numpy(std::move(p.upper));
  out["lower"] = to_numpy(std::move(p.lower));
  out["reason"] = py::cast(p.reason);
  out["num_primary"] = p.num_primary;
  return out;
}

// Audits the tabulation published with `status` (codes of CellStatus) and protection levels.
py::dict run_audit(const Tabulation& t, const std::vector<std::int8_t>& status, const std::vector<double>& upper,
                   const std::vector<double>& lower, bool insiders, double tolerance, bool published,
                   double time_limit) {
  std::vector<CellStatus> s(status.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (status[i] < 0 || status[i] > 3) throw InvalidArgument("status codes are 0..3");
    s[i] = static_cast<CellStatus>(status[i]);
  }
  const AuditProblem problem = audit_problem(t, s, upper, lower);
  AuditOptions o;
  o.insiders = insiders;
  o.tolerance = tolerance;
  o.time_limit = time_limit;
  AuditResult r;
  {
    py::gil_scoped_release release;
    r = published ? audit_published(problem, o) : audit(problem, o);
  }
  std::vector<std::int64_t> cell;
  std::vector<double> lo, hi;
  std::vector<std::string> verdict, why;
  for (const AuditCellResult& c : r.cells) {
    cell.push_back(static_cast<std::int64_t>(c.cell));
    lo.push_back(c.lower);
    hi.push_back(c.upper);
    verdict.push_back(to_string(c.verdict));
    std::string text;
    for (const auto* cert : {&c.lower_certificate, &c.upper_certificate}) {
      if (*cert) text += (text.empty() ? "" : "; ") + describe_certificate(problem, **cert);
    }
    why.push_back(text);
  }
  py::dict out;
  out["cell"] = to_numpy(std::move(cell));
  out["lower"] = to_numpy(std::move(lo));
  out["upper"] = to_numpy(std::move(hi));
  out["verdict"] = py::cast(verdict);
  out["why"] = py::cast(why);
  out["all_protected"] = r.all_protected();
  out["insider_failures"] = r.insider_failures.size();
  return out;
}

SecondaryMethod method_from(const std::string& m) {
  if (const auto method = secondary_method_from(m)) return *method;
  throw InvalidArgument("method must be 'optimal', 'network', 'gauss', 'modular' or 'hypercube', got '" + m + "'");
}

// Secondary suppression of the tabulation given its primary cells (status codes of CellStatus,
// no secondary ones) and their protection levels.
py::dict run_secondary(const Tabulation& t, const std::vector<std::int8_t>& status, const std::vector<double>& upper,
                       const std::vector<double>& lower, const py::dict& options) {
  PrimaryResult primary;
  for (const std::int8_t code : status) {
    if (code < 0 || code > 3) throw InvalidArgument("status codes are 0..3");
    primary.status.push_back(static_cast<CellStatus>(code));
  }
  primary.upper = upper;
  primary.lower = lower;
  SecondaryOptions o;
  o.method = method_from(options["method"].cast<std::string>());
  const auto cost = options["cost"].cast<std::string>();
  if (cost != "value" && cost != "cells") throw InvalidArgument("cost must be 'value' or 'cells', got '" + cost + "'");
  o.cost = cost == "value" ? SuppressionCost::kValue : SuppressionCost::kCells;
  o.time_limit = options["time_limit"].cast<double>();
  o.relative_gap = options["relative_gap"].cast<double>();
  o.use_zero_cells = options["use_zero_cells"].cast<bool>();
  o.never_suppress = options["never_suppress"].cast<std::vector<std::size_t>>();
  SecondaryResult r;
  {
    py::gil_scoped_release release;
    r = secondary_suppression(t, primary, o);
  }
  std::vector<std::int8_t> out_status(r.status.size());
  for (std::size_t i = 0; i < out_status.size(); ++i) out_status[i] = static_cast<std::int8_t>(r.status[i]);
  py::dict out;
  out["status"] = to_numpy(std::move(out_status));
  out["num_primary"] = r.num_primary;
  out["num_secondary"] = r.num_secondary;
  out["suppressed_total"] = r.suppressed_total;
  out["cost"] = r.cost;
  out["optimal"] = r.optimal;
  out["lower_bound"] = r.lower_bound;
  out["gap"] = r.gap();
  out["time_limit_reached"] = r.time_limit_reached;
  out["seconds"] = r.seconds;
  out["unprotectable"] = py::cast(r.unprotectable);
  return out;
}

}  // namespace

void register_tables(py::module_& m) {
  py::class_<Tabulation>(m, "Tabulation")
      .def_property_readonly("num_cells", &Tabulation::num_cells)
      .def_property_readonly("value_name", &Tabulation::value_name)
      .def("columns", [](const Tabulation& t) { return table_to_py(t.to_table()); })
      .def("dimension_names", [](const Tabulation& t) {
        std::vector<std::string> names;
        for (const auto& d : t.dimensions()) names.push_back(d.name());
        return names;
      });
  m.def("tabulate", &run_tabulate);
  m.def("tabulation_from_long", &run_from_long);
  m.def("primary_suppression", &run_primary);
  m.def("audit_tabulation", &run_audit);
  m.def("secondary_suppression", &run_secondary);
}

}  // namespace sdcore::py_glue
