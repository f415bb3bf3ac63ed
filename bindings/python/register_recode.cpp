// Recoding to k-anonymity: Mondrian partitioning, MDAV microaggregation and local suppression.
// Only the columns a method reads cross over (sdcore/_recode.py sends them and puts the recoded
// ones back into a copy of the DataFrame); the kernels run without the GIL.

#include <pybind11/stl.h>

#include <algorithm>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/error.hpp"
#include "sdcore/hierarchy.hpp"
#include "sdcore/local_suppression.hpp"
#include "sdcore/microaggregation.hpp"
#include "sdcore/mondrian.hpp"

namespace sdcore::py_glue {

Hierarchy hierarchy_from_py(const std::string& column, const py::object& source) {
  if (py::isinstance<py::str>(source)) return read_hierarchy(source.cast<std::string>(), column);
  return Hierarchy::from_rows(column, source.cast<std::vector<std::vector<std::string>>>());
}

namespace {

// The named columns of a result table as (name, kind, array, categories), buffers moved.
py::list columns_to_py(Table&& table, const std::vector<std::string>& names) {
  std::vector<Column> columns = std::move(table).release_columns();
  py::list out;
  for (const std::string& name : names) {
    auto it = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name() == name; });
    if (it == columns.end()) throw Error("result has no column '" + name + "'");
    if (it->is_categorical()) {
      auto [codes, categories] = std::move(*it).release_categorical();
      py::list cats;
      for (auto& c : categories) cats.append(py::str(c));
      out.append(py::make_tuple(name, "categorical", to_numpy(std::move(codes)), cats));
    } else {
      out.append(py::make_tuple(name, "numeric", to_numpy(std::move(*it).release_numeric()), py::none()));
    }
  }
  return out;
}

py::dict run_mondrian(const py::list& columns, const std::vector<std::string>& qis, std::int64_t k,
                      const std::string& sensitive, std::int64_t l,
                      const std::vector<std::pair<std::string, py::object>>& hierarchies, std::int64_t threads,
                      const std::string& frequency) {
  if (threads < 0) throw InvalidArgument("threads must be 0 (every core) or more, got " + std::to_string(threads));
  const Table table = table_from_py(columns);
  MondrianOptions opt;
  opt.sensitive = sensitive;
  opt.l = l;
  opt.threads = static_cast<std::size_t>(threads);
  opt.frequency = frequency;
  for (const auto& [column, source] : hierarchies) opt.hierarchies.push_back(hierarchy_from_py(column, source));
  MondrianResult r;
  {
    py::gil_scoped_release release;
    r = mondrian(table, qis, k, opt);
  }
  py::dict out;
  out["num_partitions"] = r.num_partitions;
  out["min_partition_size"] = r.min_partition_size;
  out["discernibility"] = r.discernibility;
  out["ncp"] = r.ncp;
  out["partition"] = to_numpy(std::move(r.partition));
  out["columns"] = columns_to_py(std::move(r.table), qis);
  return out;
}

py::dict run_mdav(const py::list& columns, const std::vector<std::string>& names, std::int64_t k, bool standardise,
                  bool median, bool exclude_missing) {
  const Table table = table_from_py(columns);
  MdavOptions opt;
  opt.standardisation = standardise ? Standardisation::kZScore : Standardisation::kNone;
  opt.measure = median ? AggregationMeasure::kMedian : AggregationMeasure::kMean;
  opt.exclude_missing = exclude_missing;
  MicroaggregationResult r;
  {
    py::gil_scoped_release release;
    r = mdav(table, names, k, opt);
  }
  py::dict out;
  out["num_groups"] = r.num_groups;
  out["sse"] = r.sse;
  out["sst"] = r.sst;
  out["information_loss"] = r.information_loss;
  out["group"] = to_numpy(std::move(r.group));
  out["excluded_rows"] = to_numpy(std::move(r.excluded_rows));
  out["columns"] = columns_to_py(std::move(r.table), names);
  return out;
}

py::dict run_local_suppression(const py::list& columns, const std::vector<std::string>& qis, std::int64_t k,
                               const std::vector<int>& importance, const std::vector<std::int64_t>& combs,
                               const std::vector<std::int64_t>& combs_k) {
  LocalSuppressionOptions opt;
  opt.importance = importance;
  for (const auto size : combs) {
    if (size < 1) throw InvalidArgument("combs sizes must be at least 1, got " + std::to_string(size));
    opt.combs.push_back(static_cast<std::size_t>(size));
  }
  opt.combs_k = combs_k;
  const Table table = table_from_py(columns);
  LocalSuppressionResult r;
  {
    py::gil_scoped_release release;
    r = local_suppression(table, qis, k, opt);
  }
  std::vector<std::int64_t> rows, keys;
  rows.reserve(r.cells.size());
  keys.reserve(r.cells.size());
  for (const SuppressedCell& c : r.cells) {
    rows.push_back(static_cast<std::int64_t>(c.row));
    keys.push_back(static_cast<std::int64_t>(c.key));
  }
  py::dict out;
  out["suppressed"] = r.suppressed;
  out["total_suppressed"] = r.total_suppressed;
  out["importance"] = r.importance;
  out["k_anonymous"] = r.k_anonymous;
  out["rows"] = to_numpy(std::move(rows));
  out["keys"] = to_numpy(std::move(keys));
  return out;
}

}  // namespace

void register_recode(py::module_& m) {
  m.def("mondrian", &run_mondrian, py::arg("columns"), py::arg("quasi_identifiers"), py::arg("k"),
        py::arg("sensitive"), py::arg("l"), py::arg("hierarchies"), py::arg("threads"), py::arg("frequency") = "");
  m.def("mdav", &run_mdav, py::arg("columns"), py::arg("names"), py::arg("k"), py::arg("standardise"),
        py::arg("median"), py::arg("exclude_missing"));
  m.def("local_suppression", &run_local_suppression, py::arg("columns"), py::arg("quasi_identifiers"),
        py::arg("k"), py::arg("importance"), py::arg("combs"), py::arg("combs_k"));
}

}  // namespace sdcore::py_glue
