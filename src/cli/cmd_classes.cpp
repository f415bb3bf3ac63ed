// `sdcore classes`: equivalence classes of a CSV under a list of quasi-identifiers, with the
// class-size distribution and the smallest classes.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "detail/json_number.hpp"
#include "sdcore/anonymity.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

struct ClassesArgs {
  InputOptions input;
  std::string qi;
  std::string weight;
  std::string missing = "own";
  std::string format = "text";
  std::string output;
  std::size_t top = 10;
  std::vector<std::int64_t> ks{2, 3, 5, 10};
  std::string sensitive;  // "a,b:ordered"
  bool quiet = false;
};

struct Report {
  const Table& table;
  const std::vector<std::string>& qi;
  const ClassesArgs& args;
  const EquivalenceClasses& ec;
  std::vector<std::size_t> smallest;  // classes, smallest fk first, then first appearance
  std::vector<SensitiveMeasures> sensitive;  // with --sensitive
};

// --sensitive "diagnosis,los:ordered": the columns and their t-closeness ground distance.
std::vector<SensitiveAttribute> parse_sensitive(const std::string& text) {
  std::vector<SensitiveAttribute> out;
  if (text.empty()) return out;
  for (const auto& item : split_list(text, "--sensitive")) {
    const auto colon = item.rfind(':');
    SensitiveAttribute a{item.substr(0, colon), GroundDistance::kEqual};
    if (colon != std::string::npos) {
      const std::string d = item.substr(colon + 1);
      if (d != "equal" && d != "ordered") {
        throw InvalidArgument("--sensitive: distance of '" + a.column + "' must be equal or ordered, got '" + d + "'");
      }
      a.distance = d == "ordered" ? GroundDistance::kOrdered : GroundDistance::kEqual;
    }
    out.push_back(a);
  }
  return out;
}


std::vector<std::size_t> smallest_classes(const EquivalenceClasses& ec, std::size_t top) {
  std::vector<std::size_t> order(ec.num_classes());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::size_t n = std::min(top, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [&](std::size_t a, std::size_t b) {
                      return ec.frequency[a] != ec.frequency[b] ? ec.frequency[a] < ec.frequency[b] : a < b;
                    });
  order.resize(n);
  return order;
}

// Records whose class has fk < k.
std::int64_t records_below(const EquivalenceClasses& ec, std::int64_t k) {
  std::int64_t n = 0;
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    if (ec.frequency[c] < k) n += ec.count[c];
  }
  return n;
}

std::string key_text(const Report& r, std::size_t c, std::size_t j) {
  const Column& col = r.table.column(r.qi[j]);
  const auto row = static_cast<std::size_t>(r.ec.first_row[c]);
  return col.is_missing(row) ? "<NA>" : col.format(row);
}

nlohmann::json to_json(const Report& r) {
  using nlohmann::json;
  const auto rows = static_cast<std::int64_t>(r.ec.num_rows());
  json j;
  j["schema"] = "sdcore.classes/1";
  j["sdcore_version"] = version();
  j["input"] = r.args.input.path;
  j["records"] = rows;
  j["quasi_identifiers"] = r.qi;
  j["weight"] = r.args.weight.empty() ? json(nullptr) : json(r.args.weight);
  j["missing"] = r.args.missing;
  j["classes"] = r.ec.num_classes();
  json below = json::object();
  for (auto k : r.args.ks) below[std::to_string(k)] = records_below(r.ec, k);
  j["records_in_classes_smaller_than"] = below;
  j["sample_uniques"] = records_below(r.ec, 2);
  json dist = json::array();
  for (const auto& b : class_size_distribution(r.ec)) {
    dist.push_back({{"fk", b.frequency}, {"classes", b.classes}, {"records", b.records}});
  }
  j["class_size_distribution"] = dist;
  json small = json::array();
  for (auto c : r.smallest) {
    json keys = json::object();
    for (std::size_t q = 0; q < r.qi.size(); ++q) {
      const auto row = static_cast<std::size_t>(r.ec.first_row[c]);
      const Column& col = r.table.column(r.qi[q]);
      keys[r.qi[q]] = col.is_missing(row) ? json(nullptr) : json(col.format(row));
    }
    json item = {{"class", c}, {"fk", r.ec.frequency[c]}, {"count", r.ec.count[c]}, {"key", keys}};
    if (!r.ec.weighted_frequency.empty()) item["Fk"] = r.ec.weighted_frequency[c];
    small.push_back(item);
  }
  j["smallest_classes"] = small;
  if (!r.sensitive.empty()) {
    json sens = json::array();
    for (const auto& s : r.sensitive) {
      sens.push_back({{"column", s.column},
                      {"l_distinct", s.l_distinct},
                      {"l_entropy", s.l_entropy},
                      {"recursive_c", s.recursive_c},
                      {"alpha", s.alpha},
                      {"t", s.t},
                      {"distance", s.distance == GroundDistance::kOrdered ? "ordered" : "equal"},
                      {"beta", s.beta},
                      {"enhanced_beta", detail::finite_or_null<json>(s.enhanced_beta)},
                      {"delta", s.delta}});
    }
    j["sensitive"] = sens;
  }
  return j;
}

std::string to_text(const Report& r) {
  std::ostringstream out;
  const auto rows = static_cast<std::int64_t>(r.ec.num_rows());
  std::string qis;
  for (const auto& q : r.qi) qis += (qis.empty() ? "" : ", ") + q;
  out << "input              " << r.args.input.path << "\n"
      << "records            " << rows << "\n"
      << "quasi-identifiers  " << qis << "\n"
      << "weight             " << (r.args.weight.empty() ? "(none)" : r.args.weight) << "\n"
      << "missing values     " << (r.args.missing == "any" ? "match any value" : "a value of their own") << "\n"
      << "classes            " << r.ec.num_classes() << "\n";
  const auto uniques = records_below(r.ec, 2);
  out << "sample uniques     " << uniques << " records (" << pct(uniques, rows) << ")\n";
  for (auto k : r.args.ks) {
    const auto n = records_below(r.ec, k);
    out << "fk < " << k << std::string(k < 10 ? 14 : 13, ' ') << n << " records (" << pct(n, rows) << ")\n";
  }
  out << "\nclass-size distribution\n       fk    classes    records  share\n";
  for (const auto& b : class_size_distribution(r.ec)) {
    char line[96];
    std::snprintf(line, sizeof line, "%9lld %10lld %10lld  %s\n", static_cast<long long>(b.frequency),
                  static_cast<long long>(b.classes), static_cast<long long>(b.records),
                  pct(b.records, rows).c_str());
    out << line;
  }
  out << "\nsmallest classes\n";
  for (auto c : r.smallest) {
    out << "  fk=" << r.ec.frequency[c];
    if (!r.ec.weighted_frequency.empty()) out << " Fk=" << r.ec.weighted_frequency[c];
    out << "  ";
    for (std::size_t q = 0; q < r.qi.size(); ++q) out << (q ? ", " : "") << r.qi[q] << "=" << key_text(r, c, q);
    out << "\n";
  }
  if (!r.sensitive.empty()) {
    out << "\nsensitive attributes (each figure the worst class; docs/methods/kanon.md)\n";
    for (const auto& s : r.sensitive) {
      char enhanced[64] = "none (some (q-p)/p > -ln p)";
      if (std::isfinite(s.enhanced_beta)) std::snprintf(enhanced, sizeof enhanced, "%.6g", s.enhanced_beta);
      char line[512];
      std::snprintf(line, sizeof line,
                    "  %s\n    distinct l %lld, entropy l %.6g, recursive c (l = %lld) %.6g, alpha %.6g\n"
                    "    t %.6g (%s distance), beta %.6g, enhanced beta %s, delta %.6g\n",
                    s.column.c_str(), static_cast<long long>(s.l_distinct), s.l_entropy,
                    static_cast<long long>(s.l_distinct), s.recursive_c, s.alpha, s.t,
                    s.distance == GroundDistance::kOrdered ? "ordered" : "equal", s.beta,
                    enhanced,
                    s.delta);
      out << line;
    }
  }
  return out.str();
}

std::string to_csv(const Report& r) {
  Table out;
  std::vector<std::int32_t> ids(r.ec.num_classes());
  std::iota(ids.begin(), ids.end(), 0);
  std::vector<double> id_values(ids.begin(), ids.end());
  out.add_column(Column::numeric("class_id", id_values));
  for (const auto& name : r.qi) {
    const Column& col = r.table.column(name);
    if (col.is_categorical()) {
      std::vector<std::int32_t> codes;
      for (auto row : r.ec.first_row) codes.push_back(col.codes()[static_cast<std::size_t>(row)]);
      out.add_column(Column::categorical(name, codes, col.categories()));
    } else {
      std::vector<double> values;
      for (auto row : r.ec.first_row) values.push_back(col.values()[static_cast<std::size_t>(row)]);
      out.add_column(Column::numeric(name, values));
    }
  }
  out.add_column(Column::numeric("count", std::vector<double>(r.ec.count.begin(), r.ec.count.end())));
  out.add_column(Column::numeric("fk", std::vector<double>(r.ec.frequency.begin(), r.ec.frequency.end())));
  if (!r.ec.weighted_frequency.empty()) out.add_column(Column::numeric("Fk", r.ec.weighted_frequency));
  return write_csv_text(out);
}

void run(const ClassesArgs& args) {
  const auto qi = split_list(args.qi, "--qi");
  for (auto k : args.ks) {
    if (k < 1) throw InvalidArgument("--k values must be at least 1, got " + std::to_string(k));
  }
  const Table table = read_csv(args.input.path, args.input.to_read_options(args.quiet, args.weight));
  require_records(table, args.input.path);
  ClassOptions opt;
  opt.missing = args.missing == "any" ? MissingPolicy::kMatchAny : MissingPolicy::kOwnValue;
  const auto sensitive = parse_sensitive(args.sensitive);
  if (!sensitive.empty() && opt.missing == MissingPolicy::kMatchAny) {
    throw InvalidArgument("--sensitive measures classes of exact key patterns; not with --missing any");
  }
  if (!sensitive.empty() && args.format == "csv") throw InvalidArgument("--sensitive is reported in text or json");
  const auto ec = equivalence_classes(table, qi, args.weight, opt);
  Report report{table, qi, args, ec, smallest_classes(ec, args.top), {}};
  if (!sensitive.empty()) report.sensitive = measure_anonymity(table, qi, sensitive).sensitive;
  if (args.format == "json") emit(args.output, to_json(report).dump(2) + "\n");
  else if (args.format == "csv") emit(args.output, to_csv(report));
  else emit(args.output, to_text(report));
}

}  // namespace

void register_classes(CLI::App& app) {
  auto args = std::make_shared<ClassesArgs>();
  CLI::App* sub = app.add_subcommand(
      "classes", "Equivalence classes under quasi-identifiers: sizes, sample uniques, smallest classes");
  args->input.add_to(*sub);
  sub->add_option("--qi", args->qi, "Quasi-identifier columns, comma-separated")->required();
  sub->add_option("--weight", args->weight, "Numeric sampling-weight column (gives Fk)");
  sub->add_option("--missing", args->missing,
                  "own: a missing value matches only missing; any: it matches every value (sdcMicro)")
      ->check(CLI::IsMember({"own", "any"}));
  sub->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"text", "json", "csv"}));
  sub->add_option("-o,--output", args->output, "Write to this file (atomically) instead of stdout");
  sub->add_option("--top", args->top, "How many of the smallest classes to list");
  sub->add_option("--k", args->ks, "Report records in classes smaller than each k")->delimiter(',');
  sub->add_option("--sensitive", args->sensitive,
                  "Sensitive columns, comma-separated, each optionally :ordered (t-closeness distance; default "
                  ":equal): adds l-diversity, alpha, t-closeness, beta-likeness and delta-disclosure");
  sub->add_flag("-q,--quiet", args->quiet, "No progress on stderr");
  sub->callback([args] { run(*args); });
}

}  // namespace sdcore::cli
