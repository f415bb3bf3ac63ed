#pragma once
/// \file
/// Counting the key combinations of a CSV file larger than memory, for risk scoring and count
/// tables on one machine. The file is read once in blocks (read_csv_blocks); each block is
/// reduced to its distinct combinations by the class kernel, and the partial counts are merged
/// by the same kernel on aggregated rows. Memory holds one block and the distinct combinations,
/// not the file.
///
/// The result is aggregated input: measure_risk with RiskOptions::frequency, and tabulate with
/// TabulateOptions::frequency, give on it what they give on the whole file read into memory
/// (with the key columns read as categorical):
///
///   auto counts = sdcore::count_combinations_csv("episodes.csv", {"age", "sex", "lsoa"}, "w");
///   std::vector<std::int64_t> n = sdcore::whole_counts(counts, "n");
///   sdcore::RiskOptions opt;
///   opt.frequency = n;
///   auto risk = sdcore::measure_risk(counts, {"age", "sex", "lsoa"}, "weight_sum", "", opt);

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/io/csv.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

struct CombinationCountOptions {
  /// How the file is read. Keys are read as text (grouped by their text as read: "30" and "30.0"
  /// are two values), the weight as a number; column_types may not say otherwise for them.
  CsvReadOptions read;
  /// Records per block: the memory the block takes is about 12 bytes per record and key.
  std::size_t block_rows = std::size_t{1} << 20;
  /// Partial counts are merged whenever more than this many are held (and once at the end).
  std::size_t max_pending = std::size_t{1} << 22;
  /// Threads of the class kernel on each block (0 = all); the result does not depend on it.
  std::size_t threads = 0;
  /// Names of the count and weight-sum columns of the result.
  std::string count_column = "n";
  std::string weight_column = "weight_sum";
};

/// One row per distinct combination of `keys` in the CSV file at `path`, in order of first
/// appearance: the key columns (categorical; categories in order of first appearance; missing
/// stays missing), the number of records (options.count_column) and, when `weight` is not empty,
/// the sum of their weights (options.weight_column). Throws ParseError (file, line, column) for
/// malformed input and for a weight that is missing, not a number, zero, negative or infinite;
/// InvalidArgument for no keys, an unknown or repeated column, a key named like a result column,
/// or a file without records.
Table count_combinations_csv(const std::string& path, const std::vector<std::string>& keys,
                             const std::string& weight = "", const CombinationCountOptions& options = {});

/// The values of the numeric count column `column` of `table` as integers (the form
/// RiskOptions::frequency and ClassOptions::frequency take); InvalidArgument, naming the row, if
/// one is not a whole number >= 1.
std::vector<std::int64_t> whole_counts(const Table& table, const std::string& column);

}  // namespace sdcore
