// `sdcore publish`: a table built from records or read in long format, released under a
// publication rule (publish_spec.hpp), audited from the published figures alone, and written with
// a disclosure certificate that `sdcore verify` checks. docs/cli.md documents the spec and the
// certificate schema sdcore.certificate/1.

#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "detail/atomic_file.hpp"
#include "cli/common.hpp"
#include "cli/publish_common.hpp"
#include "cli/sha256.hpp"
#include "cli/table_output.hpp"
#include "sdcore/cellkey.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

struct PublishArgs {
  InputOptions input;
  std::string spec;
  std::string output;
  std::string certificate;
  bool quiet = false;
  TimeLimits limits;
};

// Risk figures of record-level input: how many records sit in small inner cells before release.
ojson risk_json(const PublishSpec& spec, const Tabulation& t) {
  if (spec.table.input != TableInput::kRecords) return nullptr;
  std::int64_t records = 0, uniques = 0, small_cells = 0, in_small = 0, inner = 0;
  const double lo = std::max(1.0, spec.rule.suppress_min), hi = spec.rule.suppress_max;
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    if (!t.is_inner(c)) continue;
    const std::int64_t r = t.cell(c).records;
    ++inner;
    records += r;
    uniques += r == 1;
    if (r >= lo && r <= hi) ++small_cells, in_small += r;
  }
  return {{"records", records},
          {"inner_cells", inner},
          {"sample_unique_cells", uniques},
          {"small_cells", small_cells},
          {"records_in_small_cells", in_small},
          {"share_of_records_in_small_cells", records ? double(in_small) / double(records) : 0.0}};
}

// `text` without its column `drop` (if any), and `added` after the rest.
Table replace_column(const Table& text, const std::string& drop, Column added) {
  Table out;
  for (const Column& c : text.columns())
    if (c.name() != drop) out.add_column(c);
  out.add_column(std::move(added));
  return out;
}

// The cell key method's cell keys, from the records' key column or from keys drawn with the
// rule's seed (one per row, in file order: persistent only while the file's order is).
std::vector<double> cell_keys_of(const PublishSpec& spec, const Tabulation& t, const Table& text, char decimal) {
  if (spec.rule.rounding != PublicationRounding::kCellKey) return {};
  if (spec.table.input != TableInput::kRecords)
    throw InvalidArgument("spec " + spec.table.path + ": the cell key method needs record-level input (input: records)");
  std::vector<double> keys = spec.record_key.empty() ? generate_record_keys(text.num_rows(), spec.rule.seed)
                                                     : long_values(text, spec.record_key, "", decimal).value;
  return cell_keys(t, replace_column(text, spec.record_key, Column::numeric("record key", std::move(keys))), "record key");
}

// The percentages (from the published figures) and means (suppressed where the cell has a small
// number of records, except national figures) the spec asks for, as extra output columns.
std::vector<CellColumn> derived_columns(const PublishSpec& spec, const Tabulation& t, const Table& text,
                                        const PublishedTable& p, const std::vector<std::size_t>& national, char decimal) {
  std::vector<CellColumn> out;
  if (!spec.percent_of.empty()) {
    auto pct = std::make_shared<std::vector<double>>(published_percentages(t, p.value, spec.percent_of, spec.percent_decimals));
    out.push_back({percent_column(), [pct, &spec](std::size_t c) { return derived_text((*pct)[c], spec.percent_decimals, spec.rule.symbol); }});
  }
  if (!spec.mean.empty()) {
    TableSpec sums_spec = spec.table;
    sums_spec.value = spec.mean;
    const Tabulation sums = tabulate_input(sums_spec, text, decimal);
    auto mean = std::make_shared<std::vector<double>>(published_means(t, sums, spec.rule, national));
    out.push_back({mean_column(spec), [mean, &spec, &t](std::size_t c) {
                     return t.cell(c).value == 0 ? std::string() : derived_text((*mean)[c], spec.mean_decimals, spec.rule.symbol);
                   }});
  }
  if (!spec.median.empty()) {
    // The median's column as numbers, the dimensions as read.
    const Table records =
        replace_column(text, spec.median, Column::numeric(spec.median, long_values(text, spec.median, "", decimal).value));
    auto median = std::make_shared<std::vector<double>>(published_medians(t, records, spec.median, spec.rule, national));
    out.push_back({median_column(spec), [median, &spec, &t](std::size_t c) {
                     return t.cell(c).value == 0 ? std::string() : derived_text((*median)[c], spec.mean_decimals, spec.rule.symbol);
                   }});
  }
  return out;
}

// The rule applied; a rule that cannot be met (small cells secondary suppression cannot protect,
// no controlled rounding) is "no solution" (exit code 6), not an internal error.
PublishedTable apply_rule(const PublishSpec& spec, const Tabulation& t, const std::vector<std::size_t>& national,
                          const std::vector<double>& keys) {
  try {
    return apply_publication_rule(t, spec.rule, national, keys);
  } catch (const Error& e) {
    throw NoSolution(e.what());
  }
}

// A long input's columns other than the dimensions and the value are left out: they are not
// protected by the rule (an A&E file's attendances beside its breaches, say).
Table published_columns(const PublishSpec& spec, const Table& text) {
  if (spec.table.input != TableInput::kLong) return text;
  Table kept;
  for (const Column& c : text.columns()) {
    bool keep = c.name() == spec.table.value;
    for (const TableDimensionSpec& d : spec.table.dimensions) keep = keep || d.column == c.name();
    if (keep) kept.add_column(c);
  }
  return kept;
}

ojson certificate_json(const PublishArgs& a, const PublishSpec& spec, const Tabulation& t, const PublishedTable& p,
                       const PublicationAudit& audit, const std::string& output_sha, std::size_t rows) {
  ojson j{{"schema", kCertificateSchema}, {"sdcore_version", version()}};
  j["spec"] = {{"path", std::filesystem::absolute(a.spec).string()}, {"sha256", sha256_file(a.spec)}};
  j["rule"] = rule_json(spec);
  j["rule_file"] = spec.rule_file.empty() ? ojson(nullptr)
                                          : ojson{{"path", std::filesystem::absolute(spec.rule_file).string()},
                                                  {"sha256", sha256_file(spec.rule_file)}};
  j["ptable_file"] = spec.ptable_file.empty() ? ojson(nullptr)
                                              : ojson{{"path", std::filesystem::absolute(spec.ptable_file).string()},
                                                      {"sha256", sha256_file(spec.ptable_file)}};
  j["input"] = {{"path", a.input.path}, {"sha256", sha256_file(a.input.path)},
                {"kind", spec.table.input == TableInput::kRecords ? "records" : "long"}};
  j["output"] = {{"path", a.output}, {"sha256", output_sha}, {"rows", rows}};
  std::vector<std::string> dims;
  for (const Dimension& d : t.dimensions()) dims.push_back(d.name());
  j["table"] = {{"value", t.value_name()}, {"dimensions", dims}, {"cells", t.num_cells()}};
  j["cells"] = {{"exact", p.exact}, {"rounded", p.rounded}, {"rounded_changed", p.changed},
                {"suppressed", p.primary + p.secondary}, {"primary", p.primary}, {"secondary", p.secondary}};
  j["audit"] = {{"method", "attacker intervals by linear programming from the published figures and the rule"},
                {"passed", audit.exact_suppressed == 0},
                {"hidden_cells", audit.cells.size()},
                {"exact_suppressed", audit.exact_suppressed},
                {"rounded_audited", spec.audit_rounded},
                {"exact_rounded", spec.audit_rounded ? ojson(audit.exact_rounded) : ojson(nullptr)},
                {"narrowest_suppressed", std::isfinite(audit.narrowest_suppressed) ? ojson(audit.narrowest_suppressed)
                                                                                    : ojson(nullptr)},
                {"lp_solves", audit.lp_solves},
                {"suppressed_cells", suppressed_cells_json(t, audit)}};
  j["statistics"] = statistics_json(spec);
  j["risk"] = risk_json(spec, t);
  return j;
}

std::string summary(const ojson& j) {
  std::ostringstream out;
  const auto line = [&out](const std::string& k, const std::string& v) { out << k << std::string(24 - k.size(), ' ') << v << "\n"; };
  const ojson& c = j["cells"];
  const ojson& a = j["audit"];
  line("rule", j["rule"]["name"].get<std::string>());
  line("cells", j["table"]["cells"].dump());
  line("published exactly", c["exact"].dump());
  line("rounded/perturbed", c["rounded"].dump() + " (" + c["rounded_changed"].dump() + " changed)");
  line("suppressed", c["suppressed"].dump() + " (" + c["primary"].dump() + " small, " + c["secondary"].dump() + " secondary)");
  line("audit", a["passed"].get<bool>() ? "no suppressed figure can be recomputed" :
                a["exact_suppressed"].dump() + " suppressed figure(s) can be recomputed exactly");
  line("narrowest interval", a["narrowest_suppressed"].is_null() ? "-" : a["narrowest_suppressed"].dump() + " (of a suppressed figure)");
  line("rounded recomputable", a["exact_rounded"].is_null() ? "not audited (audit_rounded: false)" : a["exact_rounded"].dump());
  for (const ojson& s : a["suppressed_cells"]) {
    if (s["exact"].get<bool>()) out << "  recomputable: " << s["label"].get<std::string>() << " = " << s["lower"].dump() << "\n";
  }
  return out.str();
}

void run_publish(const PublishArgs& a) {
  PublishSpec spec = read_publish_spec(a.spec);
  if (a.limits.solver > 0) {
    if (spec.rule.secondary) spec.rule.secondary->time_limit = a.limits.solver;
    spec.rule.time_limit = a.limits.solver;
  }
  const Table text = published_columns(spec, read_text(a.input, a.quiet));
  const Tabulation t = tabulate_input(spec.table, text, a.input.decimal.at(0));
  const std::vector<std::size_t> national = national_cells(spec, t);
  const PublishedTable p = apply_rule(spec, t, national, cell_keys_of(spec, t, text, a.input.decimal.at(0)));
  AuditOptions opt;
  opt.certificates = false;
  opt.time_limit = a.limits.audit;
  opt.threads = a.limits.threads;
  opt.progress = terminal_progress("audit", a.quiet);
  const PublicationAudit audit = audit_publication(t, spec.rule, p, opt, spec.audit_rounded);
  const ShownValue shown = [&](std::size_t c) { return std::isnan(p.value[c]) ? spec.rule.symbol : number(p.value[c]); };
  const auto all = [](std::size_t) { return true; };
  const std::vector<CellColumn> derived = derived_columns(spec, t, text, p, national, a.input.decimal.at(0));
  const Table out = spec.table.input == TableInput::kLong
                        ? long_output(t, text, cells_of_rows(t, text), spec.table.value, shown, all, all, derived)
                        : records_output(t, shown, derived);
  const std::string csv = write_csv_text(out);
  const ojson cert = certificate_json(a, spec, t, p, audit, sha256_hex(csv), out.num_rows());
  const std::string cert_text = cert.dump(2) + "\n";
  if (audit.exact_suppressed > 0) {
    emit(a.certificate, cert_text);
    emit("", summary(cert));
    throw NoSolution(std::to_string(audit.exact_suppressed) + " suppressed figure(s) can be recomputed from the "
                     "published table (listed above); nothing was written to " + a.output +
                     " (the certificate, with the audit, was written to " + a.certificate + ")");
  }
  // The table and its certificate as one release: both written in full before either replaces
  // an old one, the certificate renamed into place last.
  detail::write_files_atomic({{a.output, csv}, {a.certificate, cert_text}});
  emit("", summary(cert));
}

}  // namespace

void register_publish(CLI::App& app) {
  auto a = std::make_shared<PublishArgs>();
  CLI::App* sub = app.add_subcommand("publish", "Release a table under a publication rule, audited, with a certificate");
  a->input.add_to(*sub);
  sub->add_option("--spec", a->spec, "YAML spec: the table and the rule (docs/cli.md, sdcore publish)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", a->output, "Write the publishable CSV here (atomically)")->required();
  sub->add_option("--certificate", a->certificate, "Write the certificate here (default: OUTPUT.certificate.json)");
  sub->add_flag("-q,--quiet", a->quiet, "No progress on stderr");
  a->limits.add_to(*sub);
  sub->callback([a] {
    if (a->certificate.empty()) a->certificate = a->output + ".certificate.json";
    if (a->certificate == a->output) throw InvalidArgument("--certificate must be another file than -o");
    run_publish(*a);
  });
}

}  // namespace sdcore::cli
