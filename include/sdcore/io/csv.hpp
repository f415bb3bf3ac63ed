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
#include "sdcore/span.hpp"
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

/// One block of records from read_csv_blocks: the requested columns, in the order requested.
struct CsvBlock {
  /// Records of the file before this block (the 0-based index of its first record).
  std::size_t first_record = 0;
  /// Records in this block.
  std::size_t rows = 0;
  /// Per requested column, the codes of a categorical column (-1 missing, otherwise an index into
  /// `categories`); empty for a numeric column.
  std::vector<std::vector<std::int32_t>> codes;
  /// Per requested column, the values of a numeric column (NaN missing); empty for a categorical one.
  std::vector<std::vector<double>> values;
  /// Per requested column, the distinct values of a categorical column met so far in the file, in
  /// order of first appearance. Shared by all the blocks of one read and only growing: a value keeps
  /// the code of its first appearance, so codes of different blocks compare. Valid during the
  /// callback only.
  std::vector<Span<const std::string>> categories;
  /// The file line on which each record starts (1-based), for messages about a value.
  std::vector<std::int64_t> lines;
  /// The 1-based field position of each requested column in a record, for messages.
  std::vector<std::int64_t> field;
};

/// Reads `path` once, front to back, handing the named columns to `consume` in blocks of at
/// most `block_rows` records, so that a file larger than memory can be reduced block by block
/// (see count_combinations_csv in sdcore/stream.hpp). A requested column is categorical unless
/// options.column_types says numeric (one pass cannot infer types); other columns are checked
/// for structure (field count, quoting) and not kept. Errors as read_csv's, with file, line and
/// column; an unknown or repeated column name and block_rows = 0 throw InvalidArgument before any
/// record is read. options.progress is called with (bytes read, file size) after each block,
/// every 8 MB, and at the end.
void read_csv_blocks(const std::string& path, const std::vector<std::string>& columns,
                     std::size_t block_rows, const std::function<void(const CsvBlock&)>& consume,
                     const CsvReadOptions& options = {});

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
