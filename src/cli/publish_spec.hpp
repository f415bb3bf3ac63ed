#pragma once
// The spec of `sdcore publish` (docs/cli.md, "sdcore publish"): a table spec (table_spec.hpp) plus
// the publication rule, inline or from a preset file (examples/presets/), and the dimensions whose
// totals are national figures, published unaltered.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/table_spec.hpp"
#include "sdcore/publication.hpp"

namespace sdcore::cli {

struct PublishSpec {
  TableSpec table;
  PublicationRule rule;
  std::string rule_file;  // the preset file the rule came from; empty when inline
  std::string rule_source;  // the preset's `source` (the published text it follows), if given
  std::vector<std::string> national;  // dimensions whose total marks a national figure
  // Cell key method: the p-table's file (empty when generated from ptable_params), the
  // parameters it was generated from, and the records' key column (empty: keys from `seed`).
  std::string ptable_file;
  std::optional<PTableParams> ptable_params;
  std::string record_key;
  // Derived figures published beside the counts (the NHS 2018 rule's percentages and means).
  std::string percent_of;  // dimension whose total is the denominator; empty: none
  int percent_decimals = 1;
  std::string mean;  // records input: the column whose mean per cell is published; empty: none
  std::string median;  // records input: the column whose median per cell is published; empty: none
  int mean_decimals = 2;  // decimals of means and medians
  bool audit_rounded = true;  // the audit also bounds every rounded figure (two LPs each)
};

// The names of the derived columns in the published file.
inline std::string percent_column() { return "percent"; }
inline std::string mean_column(const PublishSpec& spec) { return "mean_" + spec.mean; }
inline std::string median_column(const PublishSpec& spec) { return "median_" + spec.median; }

// Reads and checks the spec (and the preset it names). Errors as read_table_spec's.
PublishSpec read_publish_spec(const std::string& path);

// Cells that are national figures: at the total of every dimension in `spec.national`.
std::vector<std::size_t> national_cells(const PublishSpec& spec, const Tabulation& table);

}  // namespace sdcore::cli
