// Rounding and publication rules on a Tabulation (sdcore/rounding.py holds the Pythonic API).
// Every kernel returns one float64 per cell, in the Tabulation's cell order.

#include <pybind11/stl.h>

#include <cmath>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/cellkey.hpp"
#include "sdcore/controlled_rounding.hpp"
#include "sdcore/error.hpp"
#include "sdcore/publication.hpp"
#include "sdcore/rounding.hpp"

namespace sdcore::py_glue {
namespace {

TieRule tie_from(const std::string& s) {
  if (const auto t = tie_rule_from(s)) return *t;
  throw InvalidArgument("tie must be 'up', 'down' or 'even', got '" + s + "'");
}

TotalsRule totals_from(const std::string& s) {
  if (const auto t = totals_rule_from(s)) return *t;
  throw InvalidArgument("totals must be 'independent' or 'sum', got '" + s + "'");
}

template <class F>
py::array_t<double> per_cell(F&& kernel) {
  std::vector<double> out;
  {
    py::gil_scoped_release release;
    out = kernel();
  }
  return to_numpy(std::move(out));
}

// The rule from the dict sdcore/rounding.py builds (every key present).
PublicationRule rule_from(const py::dict& d) {
  PublicationRule r;
  r.name = d["name"].cast<std::string>();
  r.symbol = d["symbol"].cast<std::string>();
  r.suppress_min = d["suppress_min"].cast<double>();
  r.suppress_max = d["suppress_max"].cast<double>();
  const auto rounding = d["rounding"].cast<std::string>();
  if (rounding == "none") r.rounding = PublicationRounding::kNone;
  else if (rounding == "nearest") r.rounding = PublicationRounding::kNearest;
  else if (rounding == "random") r.rounding = PublicationRounding::kRandom;
  else throw InvalidArgument("rounding must be 'none', 'nearest' or 'random', got '" + rounding + "'");
  r.base = d["base"].cast<double>();
  r.tie = tie_from(d["tie"].cast<std::string>());
  r.totals = totals_from(d["totals"].cast<std::string>());
  r.seed = d["seed"].cast<std::uint64_t>();
  if (!d["secondary"].is_none()) {
    SecondaryOptions o;
    const auto m = d["secondary"].cast<std::string>();
    const auto method = secondary_method_from(m);
    if (!method || *method == SecondaryMethod::kGauss)  // a rule must meet every protection level
      throw InvalidArgument("secondary must be 'optimal', 'network', 'modular' or 'hypercube', got '" + m + "'");
    o.method = *method;
    o.time_limit = d["time_limit"].cast<double>();
    r.secondary = o;
  }
  return r;
}

py::dict run_publish(const Tabulation& t, const py::dict& rule_dict, const std::vector<std::size_t>& exact,
                     bool audit) {
  const PublicationRule rule = rule_from(rule_dict);
  PublishedTable p;
  PublicationAudit a;
  {
    py::gil_scoped_release release;
    p = apply_publication_rule(t, rule, exact);
    if (audit) {
      AuditOptions opt;
      opt.certificates = false;
      a = audit_publication(t, rule, p, opt);
    }
  }
  const std::size_t n = t.num_cells();
  std::vector<std::int8_t> kind(n);
  for (std::size_t i = 0; i < n; ++i) kind[i] = static_cast<std::int8_t>(p.kind[i]);
  const double nan = std::nan("");
  std::vector<double> lower(n, nan), upper(n, nan), rule_lower(n, nan), rule_upper(n, nan);
  std::vector<std::int8_t> exact_flag(n, 0);
  for (const HiddenCell& h : a.cells) {
    lower[h.cell] = h.lower, upper[h.cell] = h.upper, rule_lower[h.cell] = h.rule_lower,
    rule_upper[h.cell] = h.rule_upper, exact_flag[h.cell] = h.exact ? 1 : 0;
  }
  py::dict out;
  out["kind"] = to_numpy(std::move(kind));
  out["value"] = to_numpy(std::move(p.value));
  out["lower"] = to_numpy(std::move(lower));
  out["upper"] = to_numpy(std::move(upper));
  out["rule_lower"] = to_numpy(std::move(rule_lower));
  out["rule_upper"] = to_numpy(std::move(rule_upper));
  out["exact"] = to_numpy(std::move(exact_flag));
  out["exact_suppressed"] = a.exact_suppressed;
  out["exact_rounded"] = a.exact_rounded;
  out["narrowest_suppressed"] = a.narrowest_suppressed;
  out["changed"] = p.changed;
  return out;
}

py::dict run_controlled(const Tabulation& t, double base, double time_limit, bool relaxed,
                        const std::vector<std::size_t>& keep, const std::string& method) {
  ControlledRoundingOptions o;
  o.base = base;
  o.time_limit_seconds = time_limit;
  o.relaxed_if_infeasible = relaxed;
  if (method == "network") o.method = ControlledRoundingMethod::kNetwork;
  else if (method == "mip") o.method = ControlledRoundingMethod::kMip;
  else if (method != "auto") throw InvalidArgument("method must be 'auto', 'network' or 'mip', got '" + method + "'");
  if (!keep.empty()) {
    o.keep_exact.assign(t.num_cells(), 0);
    for (std::size_t c : keep) o.keep_exact.at(c) = 1;
  }
  ControlledRoundingResult r;
  {
    py::gil_scoped_release release;
    r = controlled_round(t, o);
  }
  py::dict out;
  out["status"] = to_string(r.status);
  out["method"] = r.method;
  out["distance"] = r.distance;
  out["bound"] = r.bound;
  out["relaxed"] = r.relaxed;
  out["total_violation"] = r.total_violation;
  out["seconds"] = r.seconds;
  out["values"] = to_numpy(std::move(r.values));
  return out;
}

// The p-table from a file path or from (D, V, js, pstay).
PerturbationTable ptable_from(const py::object& source) {
  if (py::isinstance<py::str>(source)) return read_perturbation_table(source.cast<std::string>());
  const auto [d, v, js, pstay] = source.cast<std::tuple<int, double, int, double>>();
  PTableParams p;
  p.max_deviation = d;
  p.variance = v;
  p.js = js;
  p.pstay = pstay;
  return generate_perturbation_table(p);
}

py::dict run_cell_key(const Tabulation& t, const py::list& records, const std::string& key_column,
                      const py::object& ptable_source) {
  const Table table = table_from_py(records);
  const PerturbationTable ptable = ptable_from(ptable_source);
  CellKeyResult r;
  std::vector<double> keys;
  {
    py::gil_scoped_release release;
    keys = cell_keys(t, table, key_column);
    r = perturb_counts(t, keys, ptable);
  }
  py::dict out;
  out["cell_key"] = to_numpy(std::move(keys));
  out["value"] = to_numpy(std::move(r.value));
  out["noise"] = to_numpy(std::move(r.noise));
  return out;
}

}  // namespace

void register_rounding(py::module_& m) {
  m.def("controlled_round", &run_controlled);
  m.def("cell_key_perturb", &run_cell_key);
  m.def("generate_record_keys", [](std::size_t n, std::uint64_t seed) { return to_numpy(generate_record_keys(n, seed)); });
  m.def("perturbation_table", [](const py::object& source) {
    const PerturbationTable p = ptable_from(source);
    std::vector<double> i, j, prob, v, ub;
    for (const PTableEntry& e : p.entries()) {
      if (e.type != PTableType::kAll) continue;
      i.push_back(e.i), j.push_back(e.j), prob.push_back(e.p), v.push_back(e.v), ub.push_back(e.p_ub);
    }
    py::dict out;
    out["i"] = to_numpy(std::move(i));
    out["j"] = to_numpy(std::move(j));
    out["p"] = to_numpy(std::move(prob));
    out["v"] = to_numpy(std::move(v));
    out["p_ub"] = to_numpy(std::move(ub));
    return out;
  });
  m.def("round_to_base", [](const Tabulation& t, double base, const std::string& tie, const std::string& totals) {
    BaseRoundingOptions o{base, tie_from(tie), totals_from(totals)};
    return per_cell([&] { return round_to_base(t, o); });
  });
  m.def("random_round", [](const Tabulation& t, double base, std::uint64_t seed, const std::string& totals) {
    RandomRoundingOptions o{base, seed, totals_from(totals)};
    return per_cell([&] { return random_round(t, o); });
  });
  m.def("small_cell_adjustment", [](const Tabulation& t, double base, std::uint64_t seed, const std::string& totals) {
    SmallCellOptions o{base, seed, totals_from(totals)};
    return per_cell([&] { return small_cell_adjustment(t, o); });
  });
  m.def("barnardise", [](const Tabulation& t, double probability, std::uint64_t seed) {
    BarnardOptions o{probability, seed};
    return per_cell([&] { return barnardise(t, o); });
  });
  m.def("publish", &run_publish);
}

}  // namespace sdcore::py_glue
