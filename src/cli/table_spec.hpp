#pragma once
// The spec of `sdcore table build|suppress|audit` (docs/cli.md, "sdcore table"): what table to
// build from the input, the primary rules and the secondary suppression, read from YAML; and the
// input read and the output written under it. Kept apart from cmd_table.cpp so that the
// subcommands read as steps.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/common.hpp"
#include "sdcore/suppression.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore::cli {

// What the input file holds.
enum class TableInput { kLong, kRecords };

// One dimension: flat (under `total`), or a tree from an ARX-style hierarchy file or from a
// (code, parent) CSV. Paths are resolved against the spec's folder.
struct TableDimensionSpec {
  std::string column;
  std::string total = "Total";
  std::string hierarchy;
  char delimiter = ';';
  std::string parents;
};

// One cell named by codes: (column, code) pairs; a dimension not named is at its total.
using CellCodes = std::vector<std::pair<std::string, std::string>>;

struct TableSpec {
  std::string path;  // the spec file, for messages
  TableInput input = TableInput::kLong;
  std::vector<TableDimensionSpec> dimensions;
  std::string value;  // long: the value column; records: the column to sum (empty: count)
  std::string weight;
  std::string holding;
  LongTableOptions long_options;
  PrimaryRules primary;
  SecondaryOptions secondary;
  std::vector<CellCodes> never_suppress;
};

// Reads and checks the spec. ParseError for malformed YAML; InvalidArgument naming the spec
// file, the key and its line for an unknown key, a missing or a bad value.
// `extra_keys`: top-level keys another command's spec adds (read by that command).
TableSpec read_table_spec(const std::string& path, const std::set<std::string>& extra_keys = {});

// The same for spec text in memory; `name` stands for the file (and its folder for relative paths).
TableSpec parse_table_spec(std::string_view yaml, const std::string& name, const std::set<std::string>& extra_keys = {});

// Reads the input with every column as text, so that what is not changed is written back as read.
Table read_text(const InputOptions& input, bool quiet);

// The value column of a long table as numbers. A field equal to `symbol` or missing is suppressed
// (NaN, flagged in `suppressed`) when `symbol` is not empty; otherwise, as any other field that is
// not a number, it is an error naming the row.
struct LongValues {
  std::vector<double> value;
  std::vector<char> suppressed;
};
LongValues long_values(const Table& text, const std::string& column, const std::string& symbol, char decimal);

// The tabulation of the input (read_text) under the spec; numbers are read with `decimal`. With a
// `symbol`, the input is a published long table whose suppressed values (the symbol, or blank)
// stay NaN (LongTableOptions::missing_is_suppressed). With a `frequency` column (records input),
// each row of `text` stands for that many records (TabulateOptions::frequency).
Tabulation tabulate_input(const TableSpec& spec, const Table& text, char decimal, const std::string& symbol = "",
                          const std::string& frequency = "");

// The cell of each row of a long table whose dimension columns name codes of `table`'s
// dimensions. InvalidArgument naming the row for an unknown code or a repeated cell.
std::vector<std::size_t> cells_of_rows(const Tabulation& table, const Table& text);

// The spec's never_suppress cells as cell indices of `table`.
std::vector<std::size_t> never_suppress_cells(const TableSpec& spec, const Tabulation& table);

// The shortest text that reads back as `x`.
std::string number(double x);

// A text column from optional strings (nullopt: missing), categories in order of first use.
Column text_column(const std::string& name, const std::vector<std::optional<std::string>>& values);

// The codes of a cell, one (dimension, code) pair per dimension.
CellCodes codes_of(const Tabulation& table, std::size_t cell);

}  // namespace sdcore::cli
