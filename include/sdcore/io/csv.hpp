#pragma once
/// \file io/csv.hpp
/// CSV reading and writing (RFC 4180 quoting; `,` `;` tab or `|` delimiters; UTF-8 with an
/// optional BOM; LF, CRLF or CR line ends).
///
/// Reading makes two passes over the file through a fixed-size buffer: the first checks the
/// structure and settles each column's type, the second encodes into vectors sized exactly. So
/// memory stays at the encoded table plus the category dictionaries, whatever the file size.
/// Every malformed input raises ParseError with file, line, column and the offending text.
///
/// Example:
/// \code
///   sdcore::CsvReadOptions opt;
///   opt.missing = {"", "NA"};
///   opt.column_types["postcode"] = sdcore::ColumnType::kCategorical;
///   sdcore::Table t = sdcore::read_csv("episodes.csv", opt);
///   sdcore::write_csv(t, "copy.csv");  // atomic: temp file, then rename
/// \endcode

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sdcore/progress.hpp"
#include "sdcore/table.hpp"

namespace sdcore {

struct CsvReadOptions {
  /// Field delimiter; '\0' detects it from the header line among `,` `;` tab `|` (an ambiguous
  /// header is an error that asks for an explicit delimiter).
  char delimiter = '\0';
  /// Unquoted fields equal to one of these are missing. Quoted fields are always values, so
  /// `""` is an empty string and `"NA"` the text NA.
  std::vector<std::string> missing = {""};
  /// Decimal separator of numeric fields: '.' or ','.
  char decimal = '.';
  /// Whether the first record names the columns; if false they are named V1, V2, ...
  bool header = true;
  /// When true a column whose every present value is a number (and none has a leading zero
  /// such as "007", which a number would lose) becomes numeric; otherwise categorical.
  /// When false every column is categorical unless listed in column_types.
  bool infer_types = true;
  /// Explicit types by column name; override inference. Naming an absent column is an error.
  std::map<std::string, ColumnType, std::less<>> column_types;
  /// Skip empty lines inside the data instead of reporting them. Empty lines at the very end
  /// of the file are always ignored.
  bool skip_blank_lines = false;
  /// Optional progress report: bytes processed across both passes, of twice the file size.
  ProgressCallback progress;
};

/// Reads a CSV file. Throws IoError if it cannot be read, ParseError for malformed content,
/// InvalidArgument for bad options.
Table read_csv(const std::string& path, const CsvReadOptions& options = {});

/// Reads CSV text held in memory; `name` stands for the file name in error messages.
Table read_csv_text(std::string_view text, const CsvReadOptions& options = {},
                    const std::string& name = "<text>");

struct CsvWriteOptions {
  char delimiter = ',';
  /// How a missing value is written (unquoted). Any value equal to it is quoted, so the
  /// output reads back unchanged with this token among CsvReadOptions::missing.
  std::string missing;
  /// Quote every categorical value, not just those that need it.
  bool quote_all = false;
  /// Line end: "\n" or "\r\n".
  std::string line_end = "\n";
};

/// Writes a table atomically: to a temporary file in the same folder, flushed, then renamed
/// over `path`. On any failure the temporary file is removed and `path` is left as it was.
void write_csv(const Table& table, const std::string& path, const CsvWriteOptions& options = {});

/// The CSV text write_csv would write.
std::string write_csv_text(const Table& table, const CsvWriteOptions& options = {});

}  // namespace sdcore
