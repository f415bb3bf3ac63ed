// The anonymisation search. The spec arrives as YAML/JSON text (sdcore/_kanon.py serialises a dict
// or reads a file) so that the CLI and Python share one parser; the search runs without the GIL.

#include <pybind11/stl.h>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/kanon_spec.hpp"

namespace sdcore::py_glue {
namespace {

py::dict figures(const AnonymiseResult& r, const AnonymisationSpec& spec) {
  py::dict d;
  d["found"] = r.found;
  d["lattice_size"] = r.lattice_size;
  d["nodes_evaluated"] = r.nodes_evaluated;
  d["quality_model"] = to_string(spec.options.quality);
  d["k"] = spec.options.models.k;
  d["suppression_limit"] = spec.options.suppression_limit;
  py::list names;
  for (const auto& q : spec.quasi_identifiers) names.append(q.column);
  d["quasi_identifiers"] = names;
  if (!r.found) return d;
  d["levels"] = r.best.levels;
  d["suppressed_records"] = r.best.suppressed_records;
  d["classes"] = r.best.classes;
  d["smallest_class"] = r.best.min_class_size;
  d["average_risk"] = r.best.average_risk;
  d["information_loss"] = r.best.score;
  d["lower_bound"] = r.best.lower_bound;
  d["per_attribute"] = r.best.per_attribute;
  return d;
}

}  // namespace

void register_kanon(py::module_& m) {
  m.def(
      "anonymise",
      [](const py::list& columns, const std::string& spec_text, const std::string& base_dir, const std::string& name,
         const py::object& population_columns) {
        const Table table = table_from_py(columns);
        AnonymisationSpec spec = parse_anonymisation_spec(spec_text, table, base_dir, name);
        spec.options.suppressed_output = SuppressedOutput::kMissing;  // the Python side renders suppression
        Table population;
        if (spec.options.models.k_map > 0) {
          if (!population_columns.is_none()) {
            population = table_from_py(population_columns.cast<py::list>());
          } else {
            CsvReadOptions ro;
            ro.infer_types = false;
            population = read_csv(spec.population_path, ro);
          }
          spec.options.models.population = &population;
        }
        AnonymiseResult r;
        {
          py::gil_scoped_release release;
          r = anonymise(table, spec.quasi_identifiers, spec.options);
        }
        py::dict out = figures(r, spec);
        if (!r.found) return out;
        py::list qi_columns;
        for (const auto& q : spec.quasi_identifiers) {
          const Column& c = r.table.column(q.column);
          py::list cats;
          for (const auto& s : c.categories()) cats.append(py::str(s));
          const auto codes = c.codes();
          qi_columns.append(py::make_tuple(q.column, to_numpy(std::vector<std::int32_t>(codes.begin(), codes.end())), cats));
        }
        out["columns"] = qi_columns;
        out["suppressed"] = to_numpy(std::move(r.suppressed));
        return out;
      },
      py::arg("columns"), py::arg("spec"), py::arg("base_dir"), py::arg("name"), py::arg("population") = py::none());
}

}  // namespace sdcore::py_glue
