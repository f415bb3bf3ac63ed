// Equivalence classes on integer code arrays. Codes of any signed integer width are viewed in
// place (pandas' int8 categorical codes are not widened); the kernel runs without the GIL.

#include <pybind11/stl.h>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/anonymity.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/loglinear.hpp"
#include "sdcore/report.hpp"
#include "sdcore/risk.hpp"
#include "sdcore/suda.hpp"

namespace sdcore::py_glue {
namespace {

KeyCodes view_codes(const py::array& codes, std::int64_t cardinality, std::size_t rows, std::size_t j) {
  const auto kind = codes.dtype().kind();
  const auto width = codes.itemsize();
  if (kind != 'i' || (width != 1 && width != 2 && width != 4 && width != 8)) {
    throw InvalidArgument("key " + std::to_string(j) + ": codes must be a signed integer array");
  }
  if (codes.ndim() != 1 || static_cast<std::size_t>(codes.shape(0)) != rows) {
    throw InvalidArgument("key " + std::to_string(j) + ": codes must be one-dimensional with one per row");
  }
  if (rows > 1 && codes.strides(0) != width) {
    throw InvalidArgument("key " + std::to_string(j) + ": codes must be contiguous");
  }
  return KeyCodes{codes.data(), static_cast<std::uint8_t>(width), cardinality};
}

std::vector<KeyCodes> view_keys(const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows) {
  std::vector<KeyCodes> views;
  for (std::size_t j = 0; j < keys.size(); ++j) views.push_back(view_codes(keys[j].first, keys[j].second, rows, j));
  return views;
}

// Record counts of aggregated rows, viewed in place (the caller converts to contiguous int64).
Span<const std::int64_t> frequency_view(const std::optional<py::array_t<std::int64_t, py::array::c_style>>& f) {
  if (!f) return {};
  if (f->ndim() != 1) throw InvalidArgument("frequencies must be one-dimensional");
  return Span<const std::int64_t>(f->data(), static_cast<std::size_t>(f->size()));
}

py::dict attacker_dict(const AttackerRisks& a) {
  auto model = [](const AttackerRisk& m) {
    py::dict d;
    d["records_at_risk"] = m.records_at_risk;
    d["highest_risk"] = m.highest;
    d["success_rate"] = m.success_rate;
    return d;
  };
  py::dict d;
  d["threshold"] = a.threshold;
  d["population_source"] = a.population_source;
  d["prosecutor"] = model(a.prosecutor);
  d["journalist"] = model(a.journalist);
  d["marketer"] = a.marketer;
  return d;
}

}  // namespace

void register_classes(py::module_& m) {
  m.def(
      "measure_risk",
      [](const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows,
         const std::optional<py::array_t<double, py::array::c_style>>& weights,
         const std::optional<std::pair<py::array, std::int64_t>>& household, bool missing_any,
         bool exact, std::vector<std::int64_t> ks, double max_global_risk, double attacker_threshold,
         double population_size, const RiskReportInfo& info,
         const std::optional<py::array_t<std::int64_t, py::array::c_style>>& frequency) {
        const auto views = view_keys(keys, rows);
        Span<const double> w;
        if (weights) w = Span<const double>(weights->data(), static_cast<std::size_t>(weights->size()));
        std::optional<KeyCodes> hh;
        if (household) hh = view_codes(household->first, household->second, rows, keys.size());
        RiskOptions opt;
        opt.missing = missing_any ? MissingPolicy::kMatchAny : MissingPolicy::kOwnValue;
        opt.method = exact ? RiskMethod::kExact : RiskMethod::kApprox;
        opt.ks = std::move(ks);
        opt.max_global_risk = max_global_risk;
        opt.attacker_threshold = attacker_threshold;
        opt.population_size = population_size;
        opt.frequency = frequency_view(frequency);
        RiskResult r;
        std::string report;
        {
          py::gil_scoped_release release;
          r = measure_risk(Span<const KeyCodes>(views), rows, w, hh ? &*hh : nullptr, opt);
          report = risk_report_json(
              r, info, attribute_contributions(Span<const KeyCodes>(views), rows, info.quasi_identifiers, opt.missing,
                                               opt.frequency));
        }
        py::dict out;
        out["report_json"] = report;  // the summary figures are read from this document
        out["fk"] = to_numpy(std::move(r.records.fk));
        out["Fk"] = to_numpy(std::move(r.records.Fk));
        out["risk"] = to_numpy(std::move(r.records.risk));
        if (household) out["household_risk"] = to_numpy(std::move(r.records.household_risk));
        out["row_class"] = to_numpy(std::move(r.classes.row_class));
        out["class_count"] = to_numpy(std::move(r.classes.count));
        out["class_fk"] = to_numpy(std::move(r.classes.frequency));
        out["first_row"] = to_numpy(std::move(r.classes.first_row));
        return out;
      },
      py::arg("keys"), py::arg("rows"), py::arg("weights"), py::arg("household"), py::arg("missing_any"),
      py::arg("exact"), py::arg("ks"), py::arg("max_global_risk"), py::arg("attacker_threshold"), py::arg("population_size"), py::arg("info"),
      py::arg("frequency") = py::none());
  m.def(
      "measure_anonymity",
      [](const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows,
         const std::vector<std::pair<py::array, std::int64_t>>& sensitive, const std::vector<std::string>& names,
         const std::vector<bool>& ordered, std::size_t threads) {
        const auto key_views = view_keys(keys, rows);
        const auto sensitive_views = view_keys(sensitive, rows);
        std::vector<SensitiveAttribute> attributes;
        for (std::size_t j = 0; j < names.size(); ++j) {
          attributes.push_back({names[j], ordered.at(j) ? GroundDistance::kOrdered : GroundDistance::kEqual});
        }
        AnonymityMeasures a;
        {
          py::gil_scoped_release release;
          a = measure_anonymity(Span<const KeyCodes>(key_views), rows, Span<const KeyCodes>(sensitive_views),
                                attributes, threads);
        }
        py::dict out;
        out["records"] = a.records;
        out["classes"] = a.classes;
        out["k"] = a.k;
        py::dict per;
        for (const auto& s : a.sensitive) {
          py::dict d;
          d["l_distinct"] = s.l_distinct;
          d["l_entropy"] = s.l_entropy;
          d["recursive_c"] = s.recursive_c;
          d["alpha"] = s.alpha;
          d["t"] = s.t;
          d["distance"] = s.distance == GroundDistance::kOrdered ? "ordered" : "equal";
          d["beta"] = s.beta;
          d["enhanced_beta"] = s.enhanced_beta;
          d["delta"] = s.delta;
          per[py::str(s.column)] = d;
        }
        out["sensitive"] = per;
        return out;
      },
      py::arg("keys"), py::arg("rows"), py::arg("sensitive"), py::arg("names"), py::arg("ordered"),
      py::arg("threads"));
  py::class_<RiskReportInfo>(m, "RiskReportInfo")
      .def(py::init([](std::string input, std::vector<std::string> qi, std::string weight, std::string household,
                       std::string missing, std::string method) {
             return RiskReportInfo{std::move(input), std::move(qi), std::move(weight), std::move(household),
                                   std::move(missing), std::move(method)};
           }),
           py::arg("input"), py::arg("quasi_identifiers"), py::arg("weight"), py::arg("household"),
           py::arg("missing"), py::arg("method"));
  m.def(
      "loglinear_risk",
      [](const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows,
         const std::optional<py::array_t<double, py::array::c_style>>& weights,
         const std::vector<std::vector<std::size_t>>& interactions, double sampling_fraction,
         int max_iterations, double tolerance, std::size_t max_cells) {
        const auto views = view_keys(keys, rows);
        Span<const double> w;
        if (weights) w = Span<const double>(weights->data(), static_cast<std::size_t>(weights->size()));
        LogLinearOptions opt;
        opt.sampling_fraction = sampling_fraction;
        opt.max_iterations = max_iterations;
        opt.tolerance = tolerance;
        opt.max_cells = max_cells;
        LogLinearRisk r;
        {
          py::gil_scoped_release release;
          r = loglinear_risk(Span<const KeyCodes>(views), rows, w, interactions, opt);
        }
        py::dict out;
        out["tau1"] = r.tau1;
        out["tau2"] = r.tau2;
        out["sampling_fraction"] = r.sampling_fraction;
        out["cells"] = r.cells;
        out["parameters"] = r.parameters;
        out["iterations"] = r.iterations;
        out["converged"] = r.converged;
        out["deviance"] = r.deviance;
        out["prob_population_unique"] = to_numpy(std::move(r.prob_population_unique));
        out["expected_inverse_frequency"] = to_numpy(std::move(r.expected_inverse_frequency));
        out["fitted"] = to_numpy(std::move(r.fitted));
        return out;
      },
      py::arg("keys"), py::arg("rows"), py::arg("weights"), py::arg("interactions"), py::arg("sampling_fraction"),
      py::arg("max_iterations"), py::arg("tolerance"), py::arg("max_cells"));
  m.def(
      "suda2",
      [](const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows, int max_msu_size,
         double dis_fraction, bool ihsn, bool exact_dis) {
        const auto views = view_keys(keys, rows);
        SudaOptions opt;
        if (max_msu_size > 0) opt.max_msu_size = max_msu_size;
        opt.dis_fraction = dis_fraction;
        opt.scoring = ihsn ? SudaScoring::kIhsn : SudaScoring::kOriginal;
        opt.dis_arithmetic = exact_dis ? DisArithmetic::kExact : DisArithmetic::kSdcMicro;
        SudaResult r;
        {
          py::gil_scoped_release release;
          r = suda2(Span<const KeyCodes>(views), rows, opt);
        }
        py::dict out;
        out["score"] = to_numpy(std::move(r.score));
        out["dis_score"] = to_numpy(std::move(r.dis_score));
        out["msu_count"] = to_numpy(std::move(r.msu_count));
        out["min_msu_size"] = to_numpy(std::move(r.min_msu_size));
        py::list contrib;
        for (auto& c : r.contribution) contrib.append(to_numpy(std::move(c)));
        out["contribution"] = contrib;
        out["attribute_contribution"] = r.attribute_contribution;
        out["level_contribution"] = r.level_contribution;
        out["msus_by_size"] = r.msus_by_size;
        out["sample_uniques"] = r.sample_uniques;
        out["max_msu_size"] = r.max_msu_size;
        return out;
      },
      py::arg("keys"), py::arg("rows"), py::arg("max_msu_size"), py::arg("dis_fraction"), py::arg("ihsn"),
      py::arg("exact_dis"));
  m.def("risk_report_html", [](const std::string& json) { return risk_report_html(json); }, py::arg("json"));
  m.def(
      "attacker_risks",
      [](const std::vector<std::int64_t>& count, const std::vector<std::int64_t>& fk,
         const std::vector<double>& F, double threshold) {
        return attacker_dict(attacker_risks(count, fk, F, threshold));
      },
      py::arg("count"), py::arg("fk"), py::arg("F"), py::arg("threshold"));
  m.def(
      "equivalence_classes",
      [](const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows,
         const std::optional<py::array_t<double, py::array::c_style>>& weights, bool missing_any,
         const std::optional<py::array_t<std::int64_t, py::array::c_style>>& frequency) {
        const auto views = view_keys(keys, rows);
        Span<const double> w;
        if (weights) w = Span<const double>(weights->data(), static_cast<std::size_t>(weights->size()));
        ClassOptions opt;
        opt.missing = missing_any ? MissingPolicy::kMatchAny : MissingPolicy::kOwnValue;
        opt.frequency = frequency_view(frequency);
        EquivalenceClasses ec;
        {
          py::gil_scoped_release release;
          ec = equivalence_classes(Span<const KeyCodes>(views), rows, w, opt);
        }
        py::dict out;
        out["row_class"] = to_numpy(std::move(ec.row_class));
        out["count"] = to_numpy(std::move(ec.count));
        out["frequency"] = to_numpy(std::move(ec.frequency));
        out["first_row"] = to_numpy(std::move(ec.first_row));
        if (weights) out["weighted_frequency"] = to_numpy(std::move(ec.weighted_frequency));
        return out;
      },
      py::arg("keys"), py::arg("rows"), py::arg("weights"), py::arg("missing_any"),
      py::arg("frequency") = py::none());
}

}  // namespace sdcore::py_glue
