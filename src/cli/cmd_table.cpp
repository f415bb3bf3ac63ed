// `sdcore table build|suppress|audit`: a table of counts or sums under a YAML spec (table_spec.hpp),
// its cell suppression (primary rules, secondary suppression) and the LP audit of a suppressed
// table, whoever suppressed it. docs/cli.md documents the spec and the schema sdcore.table/1.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/table_output.hpp"
#include "cli/table_spec.hpp"
#include "sdcore/error.hpp"
#include "sdcore/stream.hpp"
#include "sdcore/version.hpp"

namespace sdcore::cli {
namespace {

using json = nlohmann::ordered_json;

struct TableArgs {
  InputOptions input;
  std::string spec;
  std::string output;
  std::string report;
  std::string symbol = "*";
  std::string original;
  bool audit = true;
  bool insiders = false;
  bool quiet = false;
  TimeLimits limits;
  bool stream = false;
  std::size_t block_rows = std::size_t{1} << 20;
};

// Everything a run found, for the summary and the report.
struct Outcome {
  std::string command;
  std::vector<CellStatus> status;
  PrimaryResult primary;
  std::optional<SecondaryResult> secondary;
  std::optional<AuditProblem> problem;
  std::optional<AuditResult> audit;
  std::vector<std::size_t> published_sensitive;  // `audit`: primary cells the table publishes
  bool without_original = false;                 // `audit` of the published table alone
};

bool suppressed(CellStatus s) { return s == CellStatus::kPrimary || s == CellStatus::kSecondary; }

// The value as published: the symbol for a suppressed cell.
std::string shown(const Tabulation& t, const Outcome& o, std::size_t cell, const std::string& symbol) {
  return suppressed(o.status[cell]) ? symbol : number(t.cell(cell).value);
}

json codes_json(const Tabulation& t, std::size_t cell) {
  json j = json::object();
  for (const auto& [dim, code] : codes_of(t, cell)) j[dim] = code;
  return j;
}

// Cells that fail: suppressed cells not protected against an outsider or an insider, and
// sensitive cells published.
std::vector<std::size_t> failing_cells(const Outcome& o) {
  std::vector<char> fails(o.status.size(), 0);
  for (std::size_t c : o.published_sensitive) fails[c] = 1;
  if (o.audit) {
    for (const AuditCellResult& r : o.audit->cells) fails[r.cell] |= r.verdict != AuditVerdict::kProtected ? 1 : 0;
    for (const AuditCellResult& r : o.audit->insider_failures) fails[r.cell] = 1;
  }
  if (o.secondary) {
    for (std::size_t c : o.secondary->unprotectable) fails[c] = 1;
  }
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < fails.size(); ++c) {
    if (fails[c]) out.push_back(c);
  }
  return out;
}

json cell_json(const Tabulation& t, const Outcome& o, std::size_t c, const AuditCellResult* r) {
  json j{{"codes", codes_json(t, c)},          {"label", t.label(c)},
         {"value", t.cell(c).value},           {"status", to_string(o.status[c])},
         {"reason", o.primary.reason[c]},      {"upper_protection", o.primary.upper[c]},
         {"lower_protection", o.primary.lower[c]}};
  j["attacker_lower"] = r && std::isfinite(r->lower) ? json(r->lower) : json(nullptr);
  j["attacker_upper"] = r && std::isfinite(r->upper) ? json(r->upper) : json(nullptr);
  j["verdict"] = r ? json(to_string(r->verdict)) : suppressed(o.status[c]) ? json(nullptr) : json("published");
  json certs = json::array();
  for (const auto* cert : {r ? &r->lower_certificate : nullptr, r ? &r->upper_certificate : nullptr}) {
    if (cert && *cert) certs.push_back(describe_certificate(*o.problem, **cert));
  }
  j["certificates"] = certs;
  return j;
}

json secondary_json(const Tabulation& t, const SecondaryResult& s, const SecondaryOptions& opt) {
  json unprotectable = json::array();
  for (std::size_t c : s.unprotectable) unprotectable.push_back(codes_json(t, c));
  const bool optimal = opt.method == SecondaryMethod::kOptimal;  // the others prove no bound
  return {{"method", to_string(opt.method)}, {"cost_model", opt.cost == SuppressionCost::kCells ? "cells" : "value"},
          {"cost", s.cost}, {"lower_bound", optimal ? json(s.lower_bound) : json(nullptr)}, {"optimal", s.optimal},
          {"gap", optimal ? json(s.gap()) : json(nullptr)},
          {"time_limit_reached", s.time_limit_reached}, {"seconds", s.seconds}, {"unprotectable", unprotectable}};
}

json report_json(const TableArgs& a, const TableSpec& spec, const Tabulation& t, const Outcome& o) {
  json j{{"schema", "sdcore.table/1"}, {"sdcore_version", version()}, {"command", o.command},
         {"input", a.input.path}, {"spec", a.spec}};
  j["original"] = a.original.empty() ? json(nullptr) : json(a.original);
  j["output"] = a.output.empty() ? json(nullptr) : json(a.output);
  j["symbol"] = a.symbol;
  std::size_t primary = 0, secondary = 0;
  double total = 0;
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    primary += o.status[c] == CellStatus::kPrimary ? 1 : 0;
    secondary += o.status[c] == CellStatus::kSecondary ? 1 : 0;
    total += suppressed(o.status[c]) ? t.cell(c).value : 0;
  }
  j.update({{"cells", t.num_cells()}, {"primary", primary}, {"secondary", secondary},
            {"suppressed", primary + secondary}, {"suppressed_total", total},
            {"published_sensitive", o.published_sensitive.size()}});
  j["secondary_suppression"] = o.secondary ? secondary_json(t, *o.secondary, spec.secondary) : json(nullptr);
  const auto fails = failing_cells(o);
  j["failing_cells"] = fails.size();
  j["audit"] = nullptr;
  if (o.audit) {
    j["audit"] = {{"insiders", a.insiders}, {"all_protected", o.audit->all_protected()},
                  {"insider_failures", o.audit->insider_failures.size()},
                  {"insider_scenarios", o.audit->insider_scenarios},
                  {"insider_scenarios_skipped", o.audit->insider_scenarios_skipped}, {"lp_solves", o.audit->lp_solves}};
  }
  std::vector<const AuditCellResult*> result(t.num_cells(), nullptr);
  if (o.audit) for (const AuditCellResult& r : o.audit->cells) result[r.cell] = &r;
  json cells = json::array();
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    const bool sensitive_published = o.primary.status[c] == CellStatus::kPrimary && !suppressed(o.status[c]);
    if (suppressed(o.status[c]) || sensitive_published) cells.push_back(cell_json(t, o, c, result[c]));
  }
  j["suppressed_cells"] = cells;
  json insiders = json::array();
  if (o.audit) {
    for (const AuditCellResult& r : o.audit->insider_failures) {
      insiders.push_back({{"codes", codes_json(t, r.cell)}, {"insiders", r.insiders}, {"attacker_lower", r.lower},
                          {"attacker_upper", r.upper}, {"verdict", to_string(r.verdict)}});
    }
  }
  j["insider_failures"] = insiders;
  return j;
}

std::string escape(const std::string& s) {
  std::string out;
  for (const char c : s) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

std::string plain(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// A self-contained page: the summary, then one row per suppressed cell with its proof.
std::string report_html(const json& j) {
  std::ostringstream h;
  h << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sdcore table report</title><style>"
       "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
       "padding:4px 8px;text-align:left;vertical-align:top}</style></head><body><h1>Table suppression report</h1><table>";
  for (const auto& [key, v] : j.items()) {
    if (!v.is_structured()) h << "<tr><th>" << key << "</th><td>" << escape(plain(v)) << "</td></tr>";
  }
  for (const char* part : {"secondary_suppression", "audit"}) {
    if (!j[part].is_object()) continue;
    for (const auto& [key, v] : j[part].items()) h << "<tr><th>" << key << "</th><td>" << escape(plain(v)) << "</td></tr>";
  }
  h << "</table><h2>Suppressed cells</h2><table><tr><th>cell</th><th>value</th><th>status</th><th>reason</th>"
       "<th>protection</th><th>attacker interval</th><th>verdict</th><th>proof</th></tr>";
  for (const json& c : j["suppressed_cells"]) {
    h << "<tr><td>" << escape(c["label"].get<std::string>()) << "</td><td>" << plain(c["value"]) << "</td><td>"
      << plain(c["status"]) << "</td><td>" << escape(plain(c["reason"])) << "</td><td>-" << plain(c["lower_protection"])
      << " +" << plain(c["upper_protection"]) << "</td><td>[" << plain(c["attacker_lower"]) << ", "
      << plain(c["attacker_upper"]) << "]</td><td>" << plain(c["verdict"]) << "</td><td>";
    for (const json& cert : c["certificates"]) h << escape(cert.get<std::string>()) << "<br>";
    h << "</td></tr>";
  }
  h << "</table></body></html>\n";
  return h.str();
}

// Why a failing cell fails, in words.
std::string failure(const Outcome& o, std::size_t c) {
  if (!suppressed(o.status[c])) return "sensitive, but published";
  for (const AuditCellResult& r : o.audit ? o.audit->cells : std::vector<AuditCellResult>{}) {
    if (r.cell == c && r.verdict != AuditVerdict::kProtected) {
      return std::string(to_string(r.verdict)) + ", attacker interval [" + number(r.lower) + ", " + number(r.upper) + "]";
    }
  }
  if (o.secondary && std::count(o.secondary->unprotectable.begin(), o.secondary->unprotectable.end(), c)) {
    return "unprotectable: no pattern gives its protection";
  }
  return "not protected against an insider";
}

std::string text_summary(const json& j, const Tabulation& t, const Outcome& o) {
  std::ostringstream out;
  const auto line = [&out](const std::string& k, const std::string& v) { out << k << std::string(22 - k.size(), ' ') << v << "\n"; };
  line("cells", plain(j["cells"]));
  if (o.without_original) {  // which cells were sensitive, and their values, are unknown
    line("suppressed", plain(j["suppressed"]) + " (no original: intervals and exact cells only)");
  } else {
    line("primary", plain(j["primary"]));
    line("secondary", plain(j["secondary"]));
    line("suppressed", plain(j["suppressed"]) + " (total " + number(j["suppressed_total"].get<double>()) + ")");
  }
  if (const json& s = j["secondary_suppression"]; s.is_object()) {
    line("method", s["method"].get<std::string>() + ", cost " + s["cost_model"].get<std::string>());
    line("optimal", s["optimal"].get<bool>() ? "yes" : s["gap"].is_null() ? "not sought" : "no, gap " + pct(s["gap"].get<double>(), 1));
    line("seconds", number(std::round(s["seconds"].get<double>() * 1000) / 1000));
    line("unprotectable", plain(json(s["unprotectable"].size())));
  }
  if (o.command == "audit" && !o.without_original) line("sensitive published", plain(j["published_sensitive"]));
  const auto fails = failing_cells(o);
  if (!o.audit) line("audit", "not run");
  else line("audit", fails.empty() ? "all " + plain(j["suppressed"]) + " suppressed cells protected"
                                   : std::to_string(fails.size()) + (fails.size() > 1 ? " cells fail" : " cell fails"));
  for (std::size_t k = 0; k < fails.size() && k < 20; ++k) out << "  fails: " << t.label(fails[k]) << ": " << failure(o, fails[k]) << "\n";
  if (fails.size() > 20) out << "  ... and " << fails.size() - 20 << " more\n";
  return out.str();
}

// The LP audit of o.problem, unless --no-audit. TimeLimitReached (exit code 9) when it does not
// finish within --audit-time-limit.
void run_lp_audit(const TableArgs& a, Outcome& o) {
  if (!a.audit || o.audit) return;
  AuditOptions opt;
  opt.insiders = a.insiders;
  opt.time_limit = a.limits.audit;
  opt.threads = a.limits.threads;
  opt.progress = terminal_progress("audit", a.quiet);
  o.audit = o.without_original ? audit_published(*o.problem, opt) : audit(*o.problem, opt);
}

// Audits (if not yet), writes the report and the summary; exit code 6 (NoSolution) when a cell
// fails.
void finish(const TableArgs& a, const TableSpec& spec, const Tabulation& t, Outcome& o) {
  run_lp_audit(a, o);
  const json j = report_json(a, spec, t, o);
  if (!a.report.empty()) {
    const bool html = a.report.size() >= 5 && a.report.substr(a.report.size() - 5) == ".html";
    emit(a.report, html ? report_html(j) : j.dump(2) + "\n");
  }
  emit("", text_summary(j, t, o));
  const std::size_t fails = failing_cells(o).size();
  if (fails > 0) {
    throw NoSolution(std::to_string(fails) + " cell" + (fails > 1 ? "s are" : " is") +
                     " not protected (listed above)" +
                     (o.command == "suppress" ? "; the outputs were written anyway" : ""));
  }
}

// --stream: a count table of records counted block by block (count_combinations_csv), so that the
// file need not fit in memory; the cells are those of the file read whole.
Tabulation tabulate_streamed(const TableArgs& a, const TableSpec& spec) {
  if (spec.input != TableInput::kRecords) throw InvalidArgument("--stream counts records (input: records in the spec)");
  if (!spec.value.empty() || !spec.weight.empty() || !spec.holding.empty()) {
    throw InvalidArgument("--stream builds count tables: a value, weight or holding needs each record's "
                          "contribution, which a streamed count does not keep");
  }
  std::vector<std::string> dims;
  for (const TableDimensionSpec& d : spec.dimensions) dims.push_back(d.column);
  CombinationCountOptions co;
  co.read = a.input.to_read_options(a.quiet);
  co.block_rows = a.block_rows;
  co.count_column = unused_name(co.count_column, dims);
  const Table counts = count_combinations_csv(a.input.path, dims, "", co);
  return tabulate_input(spec, counts, a.input.decimal.at(0), "", co.count_column);
}

Tabulation tabulate_args(const TableArgs& a, const TableSpec& spec, const Table& text) {
  return a.stream ? tabulate_streamed(a, spec) : tabulate_input(spec, text, a.input.decimal.at(0));
}

void run_build(const TableArgs& a) {
  const TableSpec spec = read_table_spec(a.spec);
  const Tabulation t = tabulate_args(a, spec, a.stream ? Table() : read_text(a.input, a.quiet));
  emit(a.output, write_csv_text(t.to_table()));
}

void run_suppress(const TableArgs& a) {
  if (a.symbol.empty()) throw InvalidArgument("--symbol must not be empty");
  TableSpec spec = read_table_spec(a.spec);
  const Table text = a.stream ? Table() : read_text(a.input, a.quiet);
  if (spec.input == TableInput::kLong && text.find("status")) {
    throw InvalidArgument("the input already has a column 'status', which the output adds");
  }
  const Tabulation t = tabulate_args(a, spec, text);
  Outcome o{"suppress", {}, primary_suppression(t, spec.primary), {}, {}, {}, {}};
  spec.secondary.never_suppress = never_suppress_cells(spec, t);
  if (a.limits.solver > 0) spec.secondary.time_limit = a.limits.solver;
  spec.secondary.progress = terminal_progress("secondary suppression", a.quiet);
  o.secondary = secondary_suppression(t, o.primary, spec.secondary);
  o.status = o.secondary->status;
  o.problem = audit_problem(t, o.status, o.primary.upper, o.primary.lower);
  const ShownValue show = [&](std::size_t c) { return shown(t, o, c, a.symbol); };
  const std::vector<CellColumn> status{{"status", [&](std::size_t c) { return std::string(to_string(o.status[c])); }}};
  const auto hidden = [&](std::size_t c) { return suppressed(o.status[c]); };
  const auto lacking = [&](std::size_t c) { return !t.is_inner(c) || suppressed(o.status[c]); };
  const Table out = spec.input == TableInput::kLong
                        ? long_output(t, text, cells_of_rows(t, text), spec.value, show, hidden, lacking, status)
                        : records_output(t, show, status);
  run_lp_audit(a, o);  // first: an audit that runs out of time leaves nothing written
  write_csv(out, a.output);
  finish(a, spec, t, o);
}

// A suppressed value is only the value column's business: the symbol elsewhere is a mistake.
void symbol_only_in(const Table& published, const std::string& value, const std::string& symbol) {
  for (const Column& c : published.columns()) {
    for (std::size_t r = 0; r < c.size() && c.name() != value; ++r) {
      if (!c.is_missing(r) && c.format(r) == symbol) {
        throw InvalidArgument("row " + std::to_string(r + 1) + ": the symbol '" + symbol + "' in column '" + c.name() +
                              "', which is not the value column '" + value + "'");
      }
    }
  }
}

// The published table alone (no --original): the intervals an outsider can deduce, and the cells
// recomputed exactly. Which cells were sensitive is unknown: every suppressed cell is listed as
// secondary, and only exactness and the sliding protection can be judged (audit_published).
void run_audit_published(const TableArgs& a, const TableSpec& spec) {
  if (a.insiders) throw InvalidArgument("--insiders needs --original (the true contributions)");
  const Table published = read_text(a.input, a.quiet);
  symbol_only_in(published, spec.value, a.symbol);
  const Tabulation t = tabulate_input(spec, published, a.input.decimal.at(0), a.symbol);
  Outcome o{"audit", {}, {}, {}, {}, {}, {}, true};
  const std::size_t n = t.num_cells();
  o.primary.status.assign(n, CellStatus::kSafe);
  o.primary.upper.assign(n, 0);
  o.primary.lower.assign(n, 0);
  o.primary.reason.assign(n, "");
  o.status.assign(n, CellStatus::kSafe);
  for (std::size_t c = 0; c < n; ++c) {
    if (std::isnan(t.cell(c).value)) o.status[c] = CellStatus::kSecondary;
  }
  o.problem = audit_problem(t, o.status, o.primary.upper, o.primary.lower);
  finish(a, spec, t, o);
}

void run_audit(const TableArgs& a) {
  if (a.symbol.empty()) throw InvalidArgument("--symbol must not be empty (blank values count as suppressed anyway)");
  const TableSpec spec = read_table_spec(a.spec);
  if (a.original.empty()) return run_audit_published(a, spec);
  InputOptions original = a.input;
  original.path = a.original;
  const Tabulation t = tabulate_input(spec, read_text(original, a.quiet), a.input.decimal.at(0));
  const Table published = read_text(a.input, a.quiet);
  const std::string& value = t.value_name();
  symbol_only_in(published, value, a.symbol);
  const LongValues v = long_values(published, value, a.symbol, a.input.decimal.at(0));
  const std::vector<std::size_t> cell = cells_of_rows(t, published);
  std::vector<char> hidden(t.num_cells(), 0);  // cells the file lacks count as published: the safe side
  for (std::size_t r = 0; r < cell.size(); ++r) {
    const double truth = t.cell(cell[r]).value;
    if (v.suppressed[r]) {
      hidden[cell[r]] = 1;
    } else if (std::fabs(v.value[r] - truth) > 1e-9 * std::max(1.0, std::fabs(truth))) {
      throw InvalidArgument("row " + std::to_string(r + 1) + ": " + t.label(cell[r]) + " is published as " +
                            number(v.value[r]) + " but the original has " + number(truth));
    }
  }
  Outcome o{"audit", {}, primary_suppression(t, spec.primary), {}, {}, {}, {}};
  o.status = o.primary.status;
  for (std::size_t c = 0; c < t.num_cells(); ++c) {
    const bool sensitive = o.primary.status[c] == CellStatus::kPrimary;
    if (hidden[c]) o.status[c] = sensitive ? CellStatus::kPrimary : CellStatus::kSecondary;
    else if (sensitive) o.status[c] = CellStatus::kSafe, o.published_sensitive.push_back(c);
  }
  o.problem = audit_problem(t, o.status, o.primary.upper, o.primary.lower);
  finish(a, spec, t, o);
}

}  // namespace

void register_table(CLI::App& app) {
  CLI::App* table = app.add_subcommand("table", "Tables of counts or sums: build, cell suppression, audit");
  table->require_subcommand(1);
  const auto add = [table](const char* name, const char* what, void (*run)(const TableArgs&)) {
    auto a = std::make_shared<TableArgs>();
    CLI::App* sub = table->add_subcommand(name, what);
    a->input.add_to(*sub);
    sub->add_option("--spec", a->spec, "YAML spec of the table (docs/cli.md)")->required()->check(CLI::ExistingFile);
    sub->add_flag("-q,--quiet", a->quiet, "No progress on stderr");
    sub->callback([a, run] { run(*a); });
    return std::make_pair(sub, a);
  };
  const auto audited = [](CLI::App* sub, TableArgs& a) {
    sub->add_option("--report", a.report, "Write the report: HTML if the name ends in .html, else JSON");
    sub->add_option("--symbol", a.symbol, "What a suppressed value shows (default *)");
    sub->add_flag("--insiders", a.insiders, "Also audit against contributors who know their own share");
    sub->add_option("--audit-time-limit", a.limits.audit,
                    "Seconds for the LP audit; when reached the command stops with exit code 9 and nothing "
                    "is certified (default: no limit)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--threads", a.limits.threads, "Threads for the LP audit, 0 = all cores (the same result on any number)");
  };
  const auto streamed = [](CLI::App* sub, TableArgs& a) {
    sub->add_flag("--stream", a.stream,
                  "Count tables of records (input: records) from a file larger than memory: read once in blocks, "
                  "keeping only the distinct combinations of the dimensions; the same cells");
    sub->add_option("--block-rows", a.block_rows, "Records per block with --stream (default 1048576)")
        ->check(CLI::PositiveNumber);
  };
  auto [build, b] = add("build", "The table with every margin, as long CSV", run_build);
  build->add_option("-o,--output", b->output, "Write the CSV here (atomically; default stdout)");
  streamed(build, *b);

  auto [suppress, s] = add("suppress", "Primary and secondary cell suppression, then the audit", run_suppress);
  suppress->add_option("-o,--output", s->output, "Write the suppressed table here (atomically)")->required();
  audited(suppress, *s);
  suppress->add_option("--time-limit", s->limits.solver,
                       "Seconds for the secondary suppression's solver, overriding the spec's time_limit; when "
                       "reached, the best protected pattern found so far is used")
      ->check(CLI::PositiveNumber);
  suppress->add_flag("--audit,!--no-audit", s->audit, "Audit the result by linear programming (default on)");
  streamed(suppress, *s);

  auto [aud, u] = add("audit", "Audit a suppressed table (suppressed values: the symbol or blank)", run_audit);
  aud->add_option("--original", u->original,
                  "The unsuppressed data (protection levels are relative to the true values; without it, only "
                  "the intervals and exactly recomputable cells)")
      ->check(CLI::ExistingFile);
  audited(aud, *u);
}

}  // namespace sdcore::cli
