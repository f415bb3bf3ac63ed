// `sdcore verify CERTIFICATE PUBLISHED`: re-checks a published table against its certificate,
// independently of the run that made it: the file's SHA-256, the spec's and the preset's, every
// figure against the rule, the counts by kind, and the audit redone from the published figures.
// Every difference is listed; any makes it fail (exit code 7).

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/publish_common.hpp"
#include "cli/sha256.hpp"
#include "sdcore/error.hpp"

namespace sdcore::cli {
namespace {

struct VerifyArgs {
  std::string certificate;
  std::string published;
  std::string spec;  // overrides the certificate's spec path
  std::string input;  // optional: the original input, to check its hash too
  bool quiet = false;
};

ojson read_certificate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, "cannot read the certificate");
  std::stringstream text;
  text << in.rdbuf();
  const ojson j = ojson::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw ParseError(path, 0, 0, "", "the certificate is not a JSON object");
  if (j.value("schema", "") != kCertificateSchema)
    throw InvalidArgument(path + ": not a " + std::string(kCertificateSchema) + " certificate (schema '" +
                          j.value("schema", "") + "')");
  return j;
}

struct Checker {
  std::vector<std::string> problems;
  void same(const std::string& what, const ojson& certified, const ojson& found) {
    if (certified != found) problems.push_back(what + ": certificate says " + certified.dump() + ", found " + found.dump());
  }
  void hash(const std::string& what, const ojson& certified, const std::string& path) {
    same(what + " SHA-256 (" + path + ")", certified, sha256_file(path));
  }
};

bool close(const ojson& a, const ojson& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  const double x = a.get<double>(), y = b.get<double>();
  return std::fabs(x - y) <= 1e-6 * std::max(1.0, std::fabs(x));
}

// The published figures of each suppressed cell, compared by label.
void compare_cells(Checker& check, ojson& certified, const ojson& found) {
  if (certified.size() != found.size()) {
    check.same("number of suppressed cells audited", certified.size(), found.size());
    return;
  }
  for (std::size_t k = 0; k < found.size(); ++k) {
    ojson& c = certified[k];
    const ojson& f = found[k];
    if (c.value("label", "") != f["label"].get<std::string>()) {
      check.same("suppressed cell " + std::to_string(k + 1), c.value("label", ""), f["label"]);
      continue;
    }
    for (const char* key : {"rule_lower", "rule_upper", "lower", "upper"}) {
      if (!c.contains(key) || !close(c[key], f[key]))
        check.same(f["label"].get<std::string>() + " " + key, c.contains(key) ? c[key] : ojson(nullptr), f[key]);
    }
  }
}

// The derived columns: percentages recomputed from the published figures must match as written;
// a mean shown as the symbol must belong to a suppressed count (and, without secondary
// suppression, every suppressed count's mean is the symbol too, national figures apart).
void check_derived(Checker& check, const PublishSpec& spec, const Tabulation& t, const Table& text,
                   const PublishedTable& p, ojson& cert) {
  check.same("statistics", cert.value("statistics", ojson(nullptr)), statistics_json(spec));
  const std::vector<std::size_t> cell = cells_of_rows(t, text);
  const std::string& sym = spec.rule.symbol;
  if (!spec.percent_of.empty()) {
    const std::vector<double> pct = published_percentages(t, p.value, spec.percent_of, spec.percent_decimals);
    const Column& col = text.column(percent_column());
    for (std::size_t r = 0; r < cell.size(); ++r) {
      const std::string shown = col.is_missing(r) ? "" : col.format(r);
      if (shown != derived_text(pct[cell[r]], spec.percent_decimals, sym))
        check.problems.push_back("row " + std::to_string(r + 1) + ": percent " + shown + " is not " +
                                 derived_text(pct[cell[r]], spec.percent_decimals, sym) + ", from the published figures");
    }
  }
  for (const std::string& name : {spec.mean.empty() ? "" : mean_column(spec), spec.median.empty() ? "" : median_column(spec)}) {
    if (name.empty()) continue;
    const Column& col = text.column(name);
    for (std::size_t r = 0; r < cell.size(); ++r) {
      const bool stat_hidden = !col.is_missing(r) && col.format(r) == sym;
      const bool count_hidden = p.kind[cell[r]] == PublishedKind::kPrimary;
      if ((stat_hidden && !count_hidden) || (!spec.rule.secondary && count_hidden && !stat_hidden))
        check.problems.push_back("row " + std::to_string(r + 1) + ": " + name + " is " + (stat_hidden ? "" : "not ") +
                                 "suppressed but the count is " + (count_hidden ? "" : "not"));
    }
  }
}

// `cert` is not const: a field the certificate lacks then reads as null (reported as a difference,
// or as a field of the wrong type) instead of being looked up past the end of a const object.
void verify(const VerifyArgs& a, ojson& cert);

void run_verify(const VerifyArgs& a) {
  ojson cert = read_certificate(a.certificate);
  try {
    verify(a, cert);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgument(a.certificate + ": a field of the certificate is missing or of the wrong type (" + e.what() + ")");
  }
}

void verify(const VerifyArgs& a, ojson& cert) {
  Checker check;
  check.hash("published file", cert["output"]["sha256"], a.published);
  const std::string spec_path = a.spec.empty() ? cert["spec"]["path"].get<std::string>() : a.spec;
  check.hash("spec", cert["spec"]["sha256"], spec_path);
  if (!a.input.empty()) check.hash("input", cert["input"]["sha256"], a.input);
  PublishSpec spec = read_publish_spec(spec_path);
  if (!spec.rule_file.empty()) {
    if (cert["rule_file"].is_null()) check.problems.push_back("the spec names a preset file the certificate does not");
    else check.hash("preset", cert["rule_file"]["sha256"], spec.rule_file);
  }
  if (!spec.ptable_file.empty()) {
    if (cert["ptable_file"].is_null()) check.problems.push_back("the spec names a p-table file the certificate does not");
    else check.hash("p-table", cert["ptable_file"]["sha256"], spec.ptable_file);
  }
  check.same("rule", cert["rule"], rule_json(spec));
  // The published file is a long table of every cell, the suppressed ones as the symbol.
  TableSpec long_spec = spec.table;
  long_spec.input = TableInput::kLong;
  long_spec.value = cert["table"]["value"].get<std::string>();
  // Rounded totals need not add up: the audit, not the reader, judges the figures.
  long_spec.long_options.tolerance = std::numeric_limits<double>::max();
  InputOptions in;
  in.path = a.published;
  const Table published_text = read_text(in, a.quiet);
  const Tabulation t = tabulate_input(long_spec, published_text, '.', spec.rule.symbol);
  check.same("cells", cert["table"]["cells"], t.num_cells());
  const PublishedTable p = published_from_values(t, spec.rule, national_cells(spec, t));
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    try {
      if (p.kind[c] != PublishedKind::kExact) implied_interval(spec.rule, p.kind[c], p.value[c]);
    } catch (const InvalidArgument& e) {
      check.problems.push_back(t.label(c) + ": " + e.what());
    }
  }
  check_derived(check, spec, t, published_text, p, cert);
  check.same("figures published exactly", cert["cells"]["exact"], p.exact);
  check.same("figures rounded", cert["cells"]["rounded"], p.rounded);
  check.same("figures suppressed", cert["cells"]["suppressed"], p.primary);
  if (check.problems.empty()) {  // the audit needs figures the rule allows
    AuditOptions opt;
    opt.certificates = false;
    opt.progress = terminal_progress("audit", a.quiet);
    const PublicationAudit audit = audit_publication(t, spec.rule, p, opt, spec.audit_rounded);
    check.same("suppressed figures recomputable", cert["audit"]["exact_suppressed"], audit.exact_suppressed);
    check.same("rounded figures recomputable", cert["audit"]["exact_rounded"],
               spec.audit_rounded ? ojson(audit.exact_rounded) : ojson(nullptr));
    compare_cells(check, cert["audit"]["suppressed_cells"], suppressed_cells_json(t, audit));
  }
  if (!check.problems.empty()) {
    std::string list;
    for (std::size_t k = 0; k < check.problems.size() && k < 30; ++k) list += "\n  " + check.problems[k];
    throw VerifyFailed(a.published + " does not match " + a.certificate + " (" + std::to_string(check.problems.size()) +
                       " difference(s)):" + list);
  }
  emit("", "verified: " + a.published + " matches " + a.certificate + " (" + std::to_string(t.num_cells()) +
               " cells, rule " + spec.rule.name + ", " + std::to_string(p.primary) + " suppressed, audit redone)\n");
}

}  // namespace

void register_verify(CLI::App& app) {
  auto a = std::make_shared<VerifyArgs>();
  CLI::App* sub = app.add_subcommand("verify", "Re-check a published table against its disclosure certificate");
  sub->add_option("certificate", a->certificate, "The certificate (JSON) sdcore publish wrote")->required()->check(CLI::ExistingFile);
  sub->add_option("published", a->published, "The published CSV")->required()->check(CLI::ExistingFile);
  sub->add_option("--spec", a->spec, "The spec, if not where the certificate says")->check(CLI::ExistingFile);
  sub->add_option("--input", a->input, "The original input, to check its SHA-256 too")->check(CLI::ExistingFile);
  sub->add_flag("-q,--quiet", a->quiet, "No progress on stderr");
  sub->callback([a] { run_verify(*a); });
}

}  // namespace sdcore::cli
