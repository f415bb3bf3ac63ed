#include "cli/common.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>

#include "detail/atomic_file.hpp"
#include "detail/text.hpp"
#include "sdcore/error.hpp"

namespace sdcore::cli {

void InputOptions::add_to(CLI::App& app) {
  app.add_option("input", path, "Input CSV file")->required()->check(CLI::ExistingFile);
  app.add_option("--delimiter", delimiter, "Field delimiter: , ; | or tab (default: detect)");
  app.add_option("--na", missing,
                 "More tokens that mean a missing value when unquoted, e.g. NA,. "
                 "(an empty field always does)")
      ->delimiter(',');
  app.add_option("--decimal", decimal, "Decimal separator of numbers: . or ,");
  app.add_option("--dtype", dtypes, "Column type override, NAME=categorical|numeric (repeatable)");
  app.add_flag("--no-infer", no_infer, "Read every column as categorical unless --dtype says otherwise");
}

void TimeLimits::add_to(CLI::App& app) {
  app.add_option("--time-limit", solver,
                 "Seconds for the MIP solver (secondary suppression, controlled rounding), overriding the "
                 "spec's time_limit; when reached, the best protected pattern found so far is used")
      ->check(CLI::PositiveNumber);
  app.add_option("--audit-time-limit", audit,
                 "Seconds for the LP audit; when reached the command stops with exit code 9 and nothing "
                 "is certified (default: no limit)")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", threads, "Threads for the LP audit, 0 = all cores (the same result on any number)");
}

CsvReadOptions InputOptions::to_read_options(bool quiet) const {
  CsvReadOptions opt;
  if (delimiter == "tab" || delimiter == "\\t") {
    opt.delimiter = '\t';
  } else if (delimiter.size() == 1) {
    opt.delimiter = delimiter[0];
  } else if (!delimiter.empty()) {
    throw InvalidArgument("--delimiter must be one character or 'tab', got '" + delimiter + "'");
  }
  if (decimal.size() != 1) throw InvalidArgument("--decimal must be one character");
  opt.decimal = decimal[0];
  opt.missing = {""};
  opt.missing.insert(opt.missing.end(), missing.begin(), missing.end());
  opt.infer_types = !no_infer;
  for (const auto& spec : dtypes) {
    const auto eq = spec.find('=');
    const std::string name = spec.substr(0, eq);
    const std::string type = eq == std::string::npos ? "" : spec.substr(eq + 1);
    if (name.empty() || (type != "categorical" && type != "numeric")) {
      throw InvalidArgument("--dtype takes NAME=categorical or NAME=numeric, got '" + spec + "'");
    }
    opt.column_types[name] = type == "numeric" ? ColumnType::kNumeric : ColumnType::kCategorical;
  }
  opt.progress = terminal_progress("reading " + path, quiet);
  return opt;
}

CsvReadOptions InputOptions::to_read_options(bool quiet, const std::string& numeric) const {
  CsvReadOptions opt = to_read_options(quiet);
  if (!numeric.empty()) opt.column_types.try_emplace(numeric, ColumnType::kNumeric);
  return opt;
}

void RecodeOutputOptions::add_to(CLI::App& app, const std::string& schema) {
  app.add_option("-o,--output", output, "Write the recoded CSV here (atomically)");
  app.add_option("--format", format, "Summary: text or json (schema " + schema + ")")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--json", json, "Same as --format json");
  app.add_option("--summary", summary, "Write the summary to this file instead of stdout");
  app.add_flag("-q,--quiet", quiet, "No progress on stderr");
}

namespace {

// A categorical column as numbers: each row gets its category's number (NaN where missing).
Column numeric_by_category(const Column& column, const std::vector<double>& number) {
  const auto codes = column.codes();
  std::vector<double> values(codes.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] >= 0) values[i] = number[static_cast<std::size_t>(codes[i])];
  }
  return Column::numeric(column.name(), std::move(values));
}

// The column as numbers if every category is one (the reader's inference rule, applied to the
// distinct values only); otherwise unchanged. A column with no value present stays text.
Column numeric_if_numbers(Column column, char decimal) {
  if (!column.is_categorical() || column.categories().empty()) return column;
  std::vector<double> number(column.categories().size());
  for (std::size_t c = 0; c < number.size(); ++c) {
    const std::string& text = column.categories()[c];
    if (!detail::parse_number(text, decimal, number[c]) || !detail::has_no_leading_zero(text)) return column;
  }
  return numeric_by_category(column, number);
}

}  // namespace

std::optional<Table> with_counts(const Table& text, const std::string& name, const std::string& path) {
  if (name.empty()) return std::nullopt;
  if (!text.find(name)) {
    std::string names;
    for (const Column& c : text.columns()) names += (names.empty() ? "" : ", ") + c.name();
    throw InvalidArgument("--frequency: no column named '" + name + "' (columns: " + names + ")");
  }
  Table out;
  for (const Column& c : text.columns()) {
    if (c.name() != name || !c.is_categorical()) {
      out.add_column(c);
      continue;
    }
    std::vector<double> number(c.categories().size());
    for (std::size_t k = 0; k < number.size(); ++k) {
      if (!detail::parse_number(c.categories()[k], '.', number[k])) {
        const auto codes = c.codes();
        const auto row = static_cast<std::size_t>(
            std::find(codes.begin(), codes.end(), static_cast<std::int32_t>(k)) - codes.begin());
        throw InvalidArgument(path + ": frequency column '" + name + "', row " + std::to_string(row + 1) +
                              " (1-based): '" + c.categories()[k] + "' is not a count");
      }
    }
    out.add_column(numeric_by_category(c, number));
  }
  return out;
}

Table restore_text(Table result, const Table& text, const std::string& name, const std::vector<std::uint8_t>& dropped) {
  if (name.empty() || !text.column(name).is_categorical()) return result;  // typed by --dtype: as the kernel wrote it
  const Column& original = text.column(name);
  Column kept = original;
  if (!dropped.empty() && result.num_rows() != text.num_rows()) {
    std::vector<std::int32_t> codes;
    const auto all = original.codes();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (!dropped[i]) codes.push_back(all[i]);
    }
    kept = Column::categorical(name, std::move(codes), original.categories());
  }
  Table out;
  for (Column& c : std::move(result).release_columns()) out.add_column(c.name() == name ? kept : std::move(c));
  return out;
}

void require_records(const Table& table, const std::string& path) {
  if (table.num_rows() == 0) throw InvalidArgument(path + " has no records (a header line only)");
}

Table read_text_except(const InputOptions& input, const std::vector<std::string>& typed, bool quiet) {
  CsvReadOptions ro = input.to_read_options(quiet);
  const bool infer = ro.infer_types;
  ro.infer_types = false;  // values travel as text, so every other column is written back unchanged
  Table raw = read_csv(input.path, ro);
  require_records(raw, input.path);
  if (!infer) return raw;
  Table out;
  for (Column& c : std::move(raw).release_columns()) {
    const bool wanted = std::find(typed.begin(), typed.end(), c.name()) != typed.end() &&
                        ro.column_types.find(c.name()) == ro.column_types.end();
    out.add_column(wanted ? numeric_if_numbers(std::move(c), ro.decimal) : std::move(c));
  }
  return out;
}

std::string summary_head(const std::string& input, std::size_t records, const std::string& label,
                         const std::vector<std::string>& columns, std::int64_t k, std::size_t width) {
  const auto line = [width](const std::string& name, const std::string& value) {
    return name + std::string(width > name.size() ? width - name.size() : 1, ' ') + value + "\n";
  };
  std::string list;
  for (const auto& c : columns) list += (list.empty() ? "" : ", ") + c;
  return line("input", input) + line("records", std::to_string(records)) + line(label, list) +
         line("k", std::to_string(k));
}

ProgressCallback terminal_progress(std::string label, bool quiet) {
  if (quiet || !::isatty(STDERR_FILENO)) return {};
  return [label = std::move(label)](std::uint64_t done, std::uint64_t total) {
    const int pct = total ? static_cast<int>(100 * done / total) : 100;
    std::fprintf(stderr, "\r%s: %3d%%%s", label.c_str(), pct, pct >= 100 ? "\n" : "");
    std::fflush(stderr);
  };
}

void emit(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) throw IoError("<stdout>", "cannot write to standard output");
    return;
  }
  detail::write_file_atomic(path, text);
}

std::string unused_name(std::string wanted, const std::vector<std::string>& taken) {
  while (std::find(taken.begin(), taken.end(), wanted) != taken.end()) wanted.insert(0, "_");
  return wanted;
}

std::string pct(double part, double whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", whole != 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

std::vector<std::string> split_list(const std::string& text, const std::string& what) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw InvalidArgument(what + ": empty name in '" + text + "'");
    out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace sdcore::cli
