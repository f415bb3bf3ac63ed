#pragma once
// Pieces every subcommand shares: CSV input options, output destination, progress on stderr.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sdcore/io/csv.hpp"
#include "sdcore/table.hpp"

namespace sdcore::cli {

// Exit codes, one per kind of failure, documented in `sdcore --help` and docs/cli.md.
enum ExitCode : int {
  kOk = 0,
  kInternalError = 1,
  kUsageError = 2,
  kInvalidArgument = 3,
  kParseError = 4,
  kIoError = 5,
  kNoSolution = 6,
  kVerifyFailed = 7,
  kOutOfMemory = 8,
  kTimeLimit = 9,
};

// A search found nothing that satisfies the request (e.g. no anonymous transformation).
struct NoSolution : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `sdcore verify` found a published file that does not match its certificate.
struct VerifyFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct InputOptions {
  std::string path;
  std::string delimiter;
  std::vector<std::string> missing;  // besides the empty field, which is always missing
  std::string decimal = ".";
  std::vector<std::string> dtypes;  // name=categorical|numeric
  bool no_infer = false;

  void add_to(CLI::App& app);
  CsvReadOptions to_read_options(bool quiet) const;
  // The same, with `numeric` read as numbers unless --dtype says otherwise, so that a value that
  // is not one is reported where it is (file:line:column) rather than as a column of text.
  CsvReadOptions to_read_options(bool quiet, const std::string& numeric) const;
};

// Time limits of the table commands: --time-limit for the MIP solvers (secondary suppression,
// controlled rounding), which then return the best protected answer found so far, overriding
// the spec's time_limit; --audit-time-limit for the LP audit, which stops with exit code 9 and
// certifies nothing when it is reached. 0: the spec's limit, or none for the audit.
struct TimeLimits {
  double solver = 0;
  double audit = 0;
  std::size_t threads = 0;  // --threads: the LP audit's (0 = all cores); the result is the same

  void add_to(CLI::App& app);
};

// Where a recoding command (mondrian, microaggregate, local-suppress) sends its results: the
// recoded CSV with -o, and a summary, text or JSON, on stdout or in --summary.
struct RecodeOutputOptions {
  std::string output;
  std::string format = "text";
  bool json = false;  // shorthand for --format json
  std::string summary;
  bool quiet = false;

  void add_to(CLI::App& app, const std::string& schema);
  bool want_json() const { return json || format == "json"; }
};

// Reads the input with every column as text, so that columns a command does not change are
// written back as they were read, except the columns in `typed`: those get the type the reader
// would infer for them (numeric when every present value is a number without a leading zero),
// unless --no-infer is given or --dtype names them.
// Refuses a table without records (InvalidArgument naming the file): the commands that release
// records have nothing to release, and an empty output would pass for a release.
Table read_text_except(const InputOptions& input, const std::vector<std::string>& typed, bool quiet);

// Aggregated input (--frequency): `text` (every column read as text) with column `name` as
// numbers, for the kernels, which count each row that many times. A value that is not a number is
// refused here, naming the file, column and 1-based row; the kernels refuse numbers that are not
// whole counts >= 1. `name` empty: nothing (use `text` itself; no copy is made).
std::optional<Table> with_counts(const Table& text, const std::string& name, const std::string& path);

// `result` (a kernel's output for the table with_counts made) with column `name` put back as it
// was read, for the rows of `text` not `dropped` (all rows when `dropped` is empty or the result
// has every row), so that the counts are written back byte for byte (e.g. "007" stays "007").
Table restore_text(Table result, const Table& text, const std::string& name, const std::vector<std::uint8_t>& dropped = {});

// The check read_text_except makes, for commands that read their input otherwise.
void require_records(const Table& table, const std::string& path);

// A progress display on stderr ("label: 42%", one line redrawn) when stderr is a terminal and
// not `quiet`; otherwise an empty callback, so pipelines and logs stay clean.
ProgressCallback terminal_progress(std::string label, bool quiet);

// Writes `text` to `path` atomically, or to stdout when path is empty or "-".
void emit(const std::string& path, const std::string& text);

// "12.34%": part as a percentage of whole (0 when whole is 0).
std::string pct(double part, double whole);

// `wanted`, or with underscores in front until no name in `taken` is the same (a column the
// command adds, e.g. the counts of --stream, beside the user's).
std::string unused_name(std::string wanted, const std::vector<std::string>& taken);

// Splits "a,b,c" (as given to --qi) into names, refusing empty ones.
std::vector<std::string> split_list(const std::string& text, const std::string& what);

// The first lines of a recoding command's text summary, labels padded to `width`: input, records,
// the columns worked on (under `label`, comma-separated) and k.
std::string summary_head(const std::string& input, std::size_t records, const std::string& label,
                         const std::vector<std::string>& columns, std::int64_t k, std::size_t width);

}  // namespace sdcore::cli
