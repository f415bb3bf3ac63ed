// The risk report as one self-contained HTML page: figures in tables, distributions as inline
// SVG bar charts. No script, no external resource, so it opens anywhere, offline, and prints.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "sdcore/error.hpp"
#include "sdcore/report.hpp"

namespace sdcore {
namespace {

using nlohmann::json;

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v, const char* fmt = "%.6g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string pct(double part, double whole) {
  return whole > 0 ? num(100 * part / whole, "%.2f") + "%" : "0%";
}

struct Bar {
  std::string label;
  double value;
};

// A horizontal bar chart; every bar carries its value as text and as data-value.
std::string bar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                      const std::string& unit) {
  const double max_value = std::max(1.0, [&] {
    double m = 0;
    for (const auto& b : bars) m = std::max(m, b.value);
    return m;
  }());
  const int row = 26, label_w = 190, bar_w = 360, height = static_cast<int>(bars.size()) * row + 10;
  std::ostringstream svg;
  svg << "<figure id=\"" << id << "\"><figcaption>" << escape(title) << "</figcaption>"
      << "<svg role=\"img\" aria-label=\"" << escape(title) << "\" width=\"" << label_w + bar_w + 120
      << "\" height=\"" << height << "\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const int y = static_cast<int>(i) * row + 5;
    const int w = static_cast<int>(bar_w * bars[i].value / max_value);
    svg << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 16 << "\" text-anchor=\"end\">"
        << escape(bars[i].label) << "</text><rect class=\"bar\" data-value=\"" << num(bars[i].value)
        << "\" x=\"" << label_w << "\" y=\"" << y << "\" width=\"" << std::max(w, 1) << "\" height=\"" << row - 6
        << "\"/><text x=\"" << label_w + std::max(w, 1) + 6 << "\" y=\"" << y + 16 << "\">"
        << num(bars[i].value, "%.6g") << " " << escape(unit) << "</text>";
  }
  svg << "</svg></figure>\n";
  return svg.str();
}

// Class sizes grouped the way disclosure rules read them: 1, 2, 3-4, 5-9, 10-19, 20+.
std::vector<Bar> class_size_bars(const json& dist) {
  struct Range { std::int64_t lo, hi; const char* label; };
  static const Range kRanges[] = {{1, 1, "fk = 1"}, {2, 2, "fk = 2"}, {3, 4, "fk 3-4"},
                                  {5, 9, "fk 5-9"}, {10, 19, "fk 10-19"}, {20, INT64_MAX, "fk 20+"}};
  std::vector<Bar> bars;
  for (const auto& r : kRanges) {
    double records = 0;
    for (const auto& d : dist) {
      const auto fk = d.at("fk").get<std::int64_t>();
      if (fk >= r.lo && fk <= r.hi) records += d.at("records").get<double>();
    }
    bars.push_back({r.label, records});
  }
  return bars;
}

std::vector<Bar> risk_bars(const json& dist) {
  std::vector<Bar> bars;
  for (const auto& d : dist) {
    const std::string to = d.at("to").is_null() ? "1" : num(d.at("to").get<double>());
    bars.push_back({"risk " + num(d.at("from").get<double>()) + " to " + to, d.at("records").get<double>()});
  }
  return bars;
}

std::string row(const std::string& name, const std::string& value, const std::string& id = "") {
  return "<tr" + (id.empty() ? std::string() : " id=\"" + id + "\"") + "><th>" + escape(name) + "</th><td>" +
         escape(value) + "</td></tr>\n";
}

std::string summary_table(const json& j) {
  const double n = j.at("records").get<double>();
  std::string qi;
  for (const auto& q : j.at("quasi_identifiers")) qi += (qi.empty() ? "" : ", ") + q.get<std::string>();
  std::string t = "<table class=\"figures\">\n";
  t += row("input", j.at("input").get<std::string>());
  t += row("quasi-identifiers", qi);
  t += row("weight", j.at("weight").is_null() ? "none (risk = 1/fk)" : j.at("weight").get<std::string>());
  t += row("records", num(n, "%.0f"), "records");
  t += row("equivalence classes", num(j.at("classes").get<double>(), "%.0f"), "classes");
  const double uniques = j.at("sample_uniques").get<double>();
  t += row("sample uniques", num(uniques, "%.0f") + " (" + pct(uniques, n) + ")", "sample-uniques");
  for (const auto& [k, v] : j.at("records_in_classes_smaller_than").items()) {
    t += row("records in classes smaller than " + k, num(v.get<double>(), "%.0f") + " (" + pct(v.get<double>(), n) + ")");
  }
  const double er = j.at("expected_reidentifications").get<double>();
  t += row("expected re-identifications", num(er, "%.4f") + " (" + pct(er, n) + " of records)", "expected-reidentifications");
  t += row("highest individual risk", num(j.at("max_individual_risk").get<double>()), "max-risk");
  t += row("records with higher risk than the main part", num(j.at("high_risk_records").get<double>(), "%.0f"));
  const auto& th = j.at("threshold");
  t += row("risk threshold for a global risk of " + pct(j.at("max_global_risk").get<double>(), 1),
           th.is_null() ? "none needed" : num(th.get<double>()));
  if (!j.at("household_expected_reidentifications").is_null()) {
    const double h = j.at("household_expected_reidentifications").get<double>();
    t += row("household: expected re-identifications", num(h, "%.4f") + " (" + pct(h, n) + ")");
  }
  return t + "</table>\n";
}

std::string attacker_table(const json& a) {
  std::string t = "<table class=\"attacker\"><tr><th>model</th><th>records at risk (above " +
                  num(a.at("threshold").get<double>()) + ")</th><th>highest risk</th><th>success rate</th></tr>\n";
  for (const char* m : {"prosecutor", "journalist"}) {
    const auto& x = a.at(m);
    t += std::string("<tr><th>") + m + "</th><td>" + pct(x.at("records_at_risk").get<double>(), 1) + "</td><td>" +
         num(x.at("highest_risk").get<double>()) + "</td><td>" + pct(x.at("success_rate").get<double>(), 1) + "</td></tr>\n";
  }
  t += "<tr><th>marketer</th><td></td><td></td><td>" + pct(a.at("marketer").get<double>(), 1) + "</td></tr>\n";
  return t + "</table><p class=\"note\">Population class sizes from: " +
         escape(a.at("population_source").get<std::string>()) + ".</p>\n";
}

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse}th,td{padding:.25em .8em;text-align:left;border-bottom:1px solid #eee}"
    "figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}"
    "svg text{font-size:12px;fill:#222}rect.bar{fill:#2a6f97}.note{color:#555;font-size:.9em}";

}  // namespace

std::string risk_report_html(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw InvalidArgument(std::string("risk_report_html: not JSON: ") + e.what());
  }
  if (!j.is_object() || j.value("schema", "") != "sdcore.risk/1") {
    throw InvalidArgument("risk_report_html needs a sdcore.risk/1 document (from risk_report_json)");
  }
  std::ostringstream h;
  try {
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sdcore risk report: "
      << escape(j.at("input").get<std::string>()) << "</title><style>" << kStyle << "</style></head><body>\n"
      << "<h1>Re-identification risk report</h1>\n" << summary_table(j)
      << "<h2>Equivalence classes</h2>\n"
      << bar_chart("class-sizes", "Records by size of their equivalence class", class_size_bars(j.at("class_size_distribution")), "records")
      << "<h2>Individual risk</h2>\n"
      << bar_chart("risk-distribution", "Records by individual re-identification risk", risk_bars(j.at("risk_distribution")), "records")
      << "<h2>Attacker models</h2>\n" << attacker_table(j.at("attacker"))
      << bar_chart("records-at-risk", "Records above the risk threshold (" + num(j.at("attacker").at("threshold").get<double>()) + ")",
                   {{"prosecutor", j.at("attacker").at("prosecutor").at("records_at_risk").get<double>() * j.at("records").get<double>()},
                    {"journalist", j.at("attacker").at("journalist").at("records_at_risk").get<double>() * j.at("records").get<double>()},
                    {"high individual risk", j.at("high_risk_records").get<double>()}},
                   "records");
    std::vector<Bar> contrib;
    for (const auto& c : j.at("attribute_contributions")) {
      contrib.push_back({c.at("attribute").get<std::string>(), c.at("uniques_explained").get<double>()});
    }
    if (!contrib.empty()) {
      h << "<h2>Attributes that make records unique</h2>\n"
        << bar_chart("attribute-contributions", "Sample uniques that stop being unique when the attribute is left out", contrib, "records")
        << "<p class=\"note\">A long bar: that attribute is what singles records out; generalising or suppressing it helps most.</p>\n";
    }
    if (j.contains("population_uniqueness") && !j.at("population_uniqueness").is_null()) {
      const auto& u = j.at("population_uniqueness");
      h << "<h2>Population uniqueness</h2>\n<p class=\"note\">Population size " << num(u.at("population_size").get<double>(), "%.0f")
        << " (" << escape(u.at("population_size_source").get<std::string>()) << ").</p>\n"
        << "<table class=\"uniqueness\"><tr><th>model</th><th>population uniques</th><th>share of population</th>"
           "<th>sample uniques that are population unique</th></tr>\n";
      for (const char* m : {"dankar", "zayatz", "pitman", "snb"}) {
        const auto& e = u.at(m);
        auto cell = [&](const char* k, const char* fmt) {
          return e.at(k).is_null() ? std::string("no fit") : num(e.at(k).get<double>(), fmt);
        };
        std::string name = m;
        if (name == "dankar") name += " (chose " + e.at("model_used").get<std::string>() + ")";
        h << "<tr><th>" << escape(name) << "</th><td>" << cell("population_uniques", "%.1f") << "</td><td>"
          << (e.at("fraction_of_population").is_null() ? std::string("no fit") : pct(e.at("fraction_of_population").get<double>(), 1))
          << "</td><td>" << cell("sample_and_population_uniques", "%.2f") << "</td></tr>\n";
      }
      h << "</table>\n";
    }
    if (j.contains("loglinear") && !j.at("loglinear").is_null()) {
      const auto& m = j.at("loglinear");
      h << "<h2>Log-linear model (Skinner &amp; Shlomo)</h2>\n<table class=\"figures\">\n"
        << row("sample uniques expected to be population unique (tau1)", num(m.at("tau1").get<double>(), "%.4f"), "tau1")
        << row("expected correct matches of sample uniques (tau2)", num(m.at("tau2").get<double>(), "%.4f"), "tau2")
        << row("sampling fraction", num(m.at("sampling_fraction").get<double>()))
        << row("model", num(m.at("parameters").get<double>(), "%.0f") + " parameters, " +
                            num(m.at("cells").get<double>(), "%.0f") + " cells, " +
                            (m.at("converged").get<bool>() ? "converged" : "NOT converged") + " in " +
                            num(m.at("iterations").get<double>(), "%.0f") + " iterations")
        << "</table>\n";
    }
    h << "<p class=\"note\">Method: " << escape(j.at("method").get<std::string>()) << "; missing values: "
      << escape(j.at("missing").get<std::string>()) << ". sdcore " << escape(j.at("sdcore_version").get<std::string>())
      << ", schema " << escape(j.at("schema").get<std::string>()) << ". Formulas: docs/methods/risk.md.</p>\n"
      << "</body></html>\n";
  } catch (const json::exception& e) {
    throw InvalidArgument(std::string("risk_report_html: incomplete document: ") + e.what());
  }
  return h.str();
}

}  // namespace sdcore
