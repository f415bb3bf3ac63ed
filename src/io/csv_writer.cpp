#include <string>

#include "detail/atomic_file.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"

namespace sdcore {
namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

void validate(const CsvWriteOptions& opt) {
  if (std::string(",;\t|").find(opt.delimiter) == std::string::npos || opt.delimiter == '\0') {
    throw InvalidArgument("delimiter must be one of , ; tab |");
  }
  if (opt.line_end != "\n" && opt.line_end != "\r\n") {
    throw InvalidArgument("line_end must be \"\\n\" or \"\\r\\n\"");
  }
  for (char c : opt.missing) {
    if (c == opt.delimiter || c == '"' || c == '\n' || c == '\r') {
      throw InvalidArgument("the missing-value token may not contain the delimiter, a quote or a line end");
    }
  }
}

void append_text(std::string& out, std::string_view text, const CsvWriteOptions& opt, bool force) {
  bool quote = force || text == opt.missing;
  for (char c : text) {
    quote |= c == opt.delimiter || c == '"' || c == '\n' || c == '\r';
  }
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_row(std::string& out, const Table& table, std::size_t row, const CsvWriteOptions& opt) {
  for (std::size_t j = 0; j < table.num_columns(); ++j) {
    if (j > 0) out += opt.delimiter;
    const Column& col = table.column(j);
    if (col.is_missing(row)) {
      out += opt.missing;
    } else if (col.is_categorical()) {
      append_text(out, col.categories()[static_cast<std::size_t>(col.codes()[row])], opt, opt.quote_all);
    } else {
      out += format_number(col.values()[row]);
    }
  }
  out += opt.line_end;
}

void append_header(std::string& out, const Table& table, const CsvWriteOptions& opt) {
  for (std::size_t j = 0; j < table.num_columns(); ++j) {
    if (j > 0) out += opt.delimiter;
    append_text(out, table.column(j).name(), opt, opt.quote_all);
  }
  out += opt.line_end;
}

// A single-column table whose missing token is empty would write a missing value as a blank
// line; the reader takes that back as missing, so this is safe, but a blank *header* is not.
void check_table(const Table& table) {
  if (table.num_columns() == 0) throw InvalidArgument("cannot write a table with no columns");
}

}  // namespace

std::string write_csv_text(const Table& table, const CsvWriteOptions& options) {
  validate(options);
  check_table(table);
  std::string out;
  append_header(out, table, options);
  for (std::size_t i = 0; i < table.num_rows(); ++i) append_row(out, table, i, options);
  return out;
}

void write_csv(const Table& table, const std::string& path, const CsvWriteOptions& options) {
  validate(options);
  check_table(table);
  detail::AtomicFile file(path);
  std::string buf;
  buf.reserve(kFlushBytes + 4096);
  append_header(buf, table, options);
  for (std::size_t i = 0; i < table.num_rows(); ++i) {
    append_row(buf, table, i, options);
    if (buf.size() >= kFlushBytes) {
      file.write(buf);
      buf.clear();
    }
  }
  file.write(buf);
  file.commit();
}

}  // namespace sdcore
