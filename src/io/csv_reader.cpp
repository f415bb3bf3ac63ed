// Two-pass CSV reader: pass 1 checks structure and settles column types, pass 2 encodes into
// exactly sized vectors. See include/sdcore/io/csv.hpp for the contract.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "detail/byte_source.hpp"
#include "detail/column_access.hpp"
#include "detail/csv_tokenizer.hpp"
#include "detail/string_dictionary.hpp"
#include "detail/text.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"

namespace sdcore {
namespace {

using detail::CsvTokenizer;
using detail::FieldRef;

constexpr std::uint64_t kProgressStep = std::uint64_t{8} << 20;

void validate(const CsvReadOptions& opt) {
  const std::string allowed = std::string(",;\t|") + '\0';
  if (allowed.find(opt.delimiter) == std::string::npos) {
    throw InvalidArgument(std::string("delimiter must be one of , ; tab | (or none to detect), got ") +
                          detail::quote(std::string(1, opt.delimiter)));
  }
  if (opt.decimal != '.' && opt.decimal != ',') {
    throw InvalidArgument("decimal separator must be '.' or ','");
  }
  if (opt.decimal == opt.delimiter) {
    throw InvalidArgument("decimal separator and delimiter are both " +
                          detail::quote(std::string(1, opt.delimiter)));
  }
}

// Picks the delimiter from the first line: the candidate seen most often outside quotes.
char detect_delimiter(detail::ByteSource& src, const std::string& name) {
  std::string head(64 * 1024, '\0');
  head.resize(src.read(head.data(), head.size()));
  src.rewind();
  const std::string candidates = ",;\t|";
  std::size_t counts[4] = {0, 0, 0, 0};
  bool in_quotes = false;
  for (char c : head) {
    if (c == '"') in_quotes = !in_quotes;
    if (in_quotes) continue;
    if (c == '\n' || c == '\r') break;
    const auto k = candidates.find(c);
    if (k != std::string::npos) ++counts[k];
  }
  const auto best = std::max_element(counts, counts + 4) - counts;
  if (counts[best] == 0) return ',';
  for (int k = 0; k < 4; ++k) {
    if (k != best && counts[k] == counts[best]) {
      throw ParseError(name, 1, 0, "",
                       name + ":1: cannot tell the delimiter: the header has as many " +
                           detail::quote(std::string(1, candidates[static_cast<std::size_t>(best)])) +
                           " as " + detail::quote(std::string(1, candidates[static_cast<std::size_t>(k)])) +
                           "; give it explicitly");
    }
  }
  return candidates[static_cast<std::size_t>(best)];
}

struct ColumnPlan {
  std::string name;
  ColumnType type = ColumnType::kCategorical;
  bool forced = false;            // type given by the user
  bool numeric_candidate = true;  // every present value so far reads as a number
  bool any_present = false;       // an all-missing column stays categorical
  // Distinct values of a column already known to be text, so that pass 2 can size its
  // dictionary exactly. A column that turns out text late is under-counted; the dictionary
  // then grows.
  detail::DistinctCounter distinct;
  std::size_t present = 0;  // non-missing values in the column
};

class Reader {
 public:
  Reader(detail::ByteSource& src, const std::string& name, const CsvReadOptions& opt)
      : src_(src), name_(name), opt_(opt) {}

  Table read() {
    delim_ = opt_.delimiter != '\0' ? opt_.delimiter : detect_delimiter(src_, name_);
    rows_ = scan_pass();
    src_.rewind();
    return encode_pass();
  }

 private:
  bool is_missing(const FieldRef& f) const {
    if (f.quoted) return false;
    for (const auto& token : opt_.missing) {
      if (f.raw == token) return true;
    }
    return false;
  }

  void report(const CsvTokenizer& t, int pass) {
    if (!opt_.progress) return;
    const std::uint64_t done = static_cast<std::uint64_t>(pass) * src_.size() + t.consumed();
    if (done >= next_progress_) {
      opt_.progress(done, 2 * src_.size());
      next_progress_ = done + kProgressStep;
    }
  }

  // Reads the header (or synthesises V1..Vn) and sets up column plans.
  void read_header(CsvTokenizer& t) {
    if (!t.next()) throw ParseError(name_, 1, 0, "", name_ + ":1: empty file: no header line");
    if (t.fields().empty()) t.fail(t.line(), 0, {}, "the first line is blank: no header");
    std::string scratch;
    const auto& fields = t.fields();
    for (std::size_t j = 0; j < fields.size(); ++j) {
      ColumnPlan plan;
      if (opt_.header) {
        plan.name = std::string(CsvTokenizer::value(fields[j], scratch));
        if (plan.name.empty()) {
          t.fail(t.line(), static_cast<std::int64_t>(j) + 1, {}, "empty column name in the header");
        }
        for (std::size_t i = 0; i < j; ++i) {
          if (plans_[i].name == plan.name) {
            t.fail(t.line(), static_cast<std::int64_t>(j) + 1, plan.name,
                   "duplicate column name (also column " + std::to_string(i + 1) + ")");
          }
        }
      } else {
        plan.name = std::string("V").append(std::to_string(j + 1));  // not "V" + ...: GCC 12 -Wrestrict false positive
      }
      plans_.push_back(std::move(plan));
    }
    for (const auto& [col, type] : opt_.column_types) {
      const std::string& wanted = col;  // a lambda cannot capture a structured binding before clang 16
      auto it = std::find_if(plans_.begin(), plans_.end(),
                             [&](const ColumnPlan& p) { return p.name == wanted; });
      if (it == plans_.end()) throw InvalidArgument(no_column(col) + ", though a type is given for it");
      it->type = type;
      it->forced = true;
    }
  }

  std::string no_column(const std::string& col) const {
    std::string names;
    for (const ColumnPlan& p : plans_) names += (names.empty() ? "" : ", ") + p.name;
    return "no column named '" + col + "' in " + name_ + " (columns: " + names + ")";
  }

  // Next data record with blank-line rules applied; false at the end.
  bool next_record(CsvTokenizer& t, bool& header_pending) {
    if (header_pending) {  // header == false: the first record is data
      header_pending = false;
      return true;
    }
    std::int64_t blank_line = 0;
    while (t.next()) {
      if (!t.fields().empty() || plans_.size() == 1) {
        if (blank_line != 0 && !opt_.skip_blank_lines) {
          t.fail(blank_line, 0, {},
                 "blank line inside the data (set skip_blank_lines to allow blank lines)");
        }
        return true;
      }
      if (blank_line == 0) blank_line = t.line();
    }
    return false;  // blank lines at the end of the file are ignored
  }

  void check_width(const CsvTokenizer& t) const {
    const std::size_t got = std::max<std::size_t>(t.fields().size(), 1);
    if (got != plans_.size()) {
      const auto col = static_cast<std::int64_t>(std::min(got, plans_.size()) + 1);
      t.fail(t.line(), col, t.record_text(),
             "expected " + std::to_string(plans_.size()) + " fields, found " + std::to_string(got));
    }
  }

  std::size_t scan_pass() {
    CsvTokenizer t(src_, name_, delim_);
    read_header(t);
    bool header_pending = !opt_.header;
    std::size_t rows = 0;
    std::string scratch;
    double ignored = 0;
    while (next_record(t, header_pending)) {
      check_width(t);
      const auto& fields = t.fields();
      for (std::size_t j = 0; j < fields.size(); ++j) {
        auto& plan = plans_[j];
        if (is_missing(fields[j])) continue;
        plan.any_present = true;
        ++plan.present;
        const bool want_number = plan.forced ? plan.type == ColumnType::kNumeric
                                             : opt_.infer_types && plan.numeric_candidate;
        const auto text = CsvTokenizer::value(fields[j], scratch);
        if (!want_number) {
          plan.distinct.add(text);
          continue;
        }
        const bool ok = detail::parse_number(text, opt_.decimal, ignored);
        if (plan.forced && !ok) {
          t.fail(fields[j].line, static_cast<std::int64_t>(j) + 1, text,
                 "bad number in numeric column '" + plan.name + "'");
        }
        if (!plan.forced) {
          plan.numeric_candidate = ok && detail::has_no_leading_zero(text);
          if (!plan.numeric_candidate) plan.distinct.add(text);  // the value that made it text
        }
      }
      ++rows;
      report(t, 0);
    }
    for (auto& plan : plans_) {
      if (!plan.forced) {
        plan.type = opt_.infer_types && plan.numeric_candidate && plan.any_present
                        ? ColumnType::kNumeric
                                                               : ColumnType::kCategorical;
      }
    }
    return rows;
  }

  Table encode_pass() {
    CsvTokenizer t(src_, name_, delim_);
    if (opt_.header) t.next();
    else if (!t.next()) throw Error("file changed while reading: " + name_);
    bool header_pending = !opt_.header;
    const std::size_t ncol = plans_.size();
    std::vector<std::vector<std::int32_t>> codes(ncol);
    std::vector<std::vector<double>> values(ncol);
    std::vector<detail::StringDictionary> dicts;
    dicts.reserve(ncol);
    for (std::size_t j = 0; j < ncol; ++j) {
      const bool numeric = plans_[j].type == ColumnType::kNumeric;
      if (numeric) values[j].resize(rows_);
      else codes[j].resize(rows_);
      // Every value counted and all distinct: an identifier column, encoded without a table.
      const auto& d = plans_[j].distinct;
      const bool all_distinct = d.added() == plans_[j].present && d.size() == d.added();
      dicts.emplace_back(numeric ? 0 : d.size(), all_distinct);
      plans_[j].distinct.clear();
    }
    std::string scratch;
    std::size_t row = 0;
    const FieldRef blank;
    while (next_record(t, header_pending)) {
      if (row == rows_) throw Error("file changed while reading: " + name_);
      const auto& fields = t.fields();
      for (std::size_t j = 0; j < ncol; ++j) {
        const FieldRef& f = fields.empty() ? blank : fields[j];
        const bool missing = is_missing(f);
        if (plans_[j].type == ColumnType::kNumeric) {
          double v = std::numeric_limits<double>::quiet_NaN();
          if (!missing) detail::parse_number(CsvTokenizer::value(f, scratch), opt_.decimal, v);
          values[j][row] = v;
        } else {
          codes[j][row] = missing ? kMissingCode : encode(dicts[j], CsvTokenizer::value(f, scratch), t, j);
        }
      }
      ++row;
      report(t, 1);
    }
    if (row != rows_) throw Error("file changed while reading: " + name_);
    if (opt_.progress) opt_.progress(2 * src_.size(), 2 * src_.size());  // always end at 100%
    Table table;
    for (std::size_t j = 0; j < ncol; ++j) {
      if (plans_[j].type == ColumnType::kNumeric) {
        table.add_column(Column::numeric(plans_[j].name, std::move(values[j])));
      } else {
        table.add_column(detail::ColumnAccess::categorical_trusted(plans_[j].name, std::move(codes[j]),
                                                                  dicts[j].release()));
      }
    }
    return table;
  }

  // One pass; the requested columns in blocks (read_csv_blocks).
 public:
  void read_blocks(const std::vector<std::string>& columns, std::size_t block_rows,
                   const std::function<void(const CsvBlock&)>& consume) {
    if (block_rows == 0) throw InvalidArgument("block_rows must be at least 1");
    delim_ = opt_.delimiter != '\0' ? opt_.delimiter : detect_delimiter(src_, name_);
    CsvTokenizer t(src_, name_, delim_);
    read_header(t);
    const std::size_t ncol = columns.size();
    std::vector<std::size_t> at(ncol);
    std::vector<bool> numeric(ncol);
    CsvBlock block;
    detail::require_distinct(columns, "column");
    for (std::size_t j = 0; j < ncol; ++j) {
      auto it = std::find_if(plans_.begin(), plans_.end(), [&](const ColumnPlan& p) { return p.name == columns[j]; });
      if (it == plans_.end()) throw InvalidArgument(no_column(columns[j]));
      at[j] = static_cast<std::size_t>(it - plans_.begin());
      numeric[j] = it->forced && it->type == ColumnType::kNumeric;
      block.field.push_back(static_cast<std::int64_t>(at[j]) + 1);
    }
    block.codes.resize(ncol);
    block.values.resize(ncol);
    block.categories.resize(ncol);
    std::vector<detail::StringDictionary> dicts(ncol);
    const std::size_t reserve = std::min<std::size_t>(block_rows, std::size_t{1} << 20);
    for (std::size_t j = 0; j < ncol; ++j) {
      if (numeric[j]) block.values[j].reserve(reserve);
      else block.codes[j].reserve(reserve);
    }
    block.lines.reserve(reserve);

    const auto hand_over = [&] {
      for (std::size_t j = 0; j < ncol; ++j) {
        const auto& strings = dicts[j].strings();
        block.categories[j] = Span<const std::string>(strings.data(), strings.size());
      }
      consume(block);
      block.first_record += block.rows;
      block.rows = 0;
      for (auto& c : block.codes) c.clear();
      for (auto& v : block.values) v.clear();
      block.lines.clear();
    };

    bool header_pending = !opt_.header;
    std::string scratch;
    const FieldRef blank;
    while (next_record(t, header_pending)) {
      check_width(t);
      const auto& fields = t.fields();
      for (std::size_t j = 0; j < ncol; ++j) {
        const FieldRef& f = fields.empty() ? blank : fields[at[j]];
        const bool missing = is_missing(f);
        if (numeric[j]) {
          double v = std::numeric_limits<double>::quiet_NaN();
          if (!missing) {
            const auto text = CsvTokenizer::value(f, scratch);
            if (!detail::parse_number(text, opt_.decimal, v)) {
              t.fail(f.line, static_cast<std::int64_t>(at[j]) + 1, text,
                     "bad number in numeric column '" + columns[j] + "'");
            }
          }
          block.values[j].push_back(v);
        } else {
          block.codes[j].push_back(missing ? kMissingCode
                                           : encode(dicts[j], CsvTokenizer::value(f, scratch), t, at[j]));
        }
      }
      block.lines.push_back(t.line());
      if (++block.rows == block_rows) {
        hand_over();
        if (opt_.progress) opt_.progress(t.consumed(), src_.size());  // after each block, and every 8 MB
        continue;
      }
      if (opt_.progress && t.consumed() >= next_progress_) {
        opt_.progress(t.consumed(), src_.size());
        next_progress_ = t.consumed() + kProgressStep;
      }
    }
    if (block.rows > 0) hand_over();
    if (opt_.progress) opt_.progress(src_.size(), src_.size());
  }

 private:
  static std::int32_t encode(detail::StringDictionary& dict, std::string_view text,
                             const CsvTokenizer& t, std::size_t j) {
    const std::int32_t code = dict.intern(text);
    if (code < 0) {
      t.fail(t.line(), static_cast<std::int64_t>(j) + 1, text, "more than 2^31-1 distinct values");
    }
    return code;
  }

  detail::ByteSource& src_;
  const std::string& name_;
  const CsvReadOptions& opt_;
  char delim_ = ',';
  std::vector<ColumnPlan> plans_;
  std::size_t rows_ = 0;
  std::uint64_t next_progress_ = 0;
};

}  // namespace

Table read_csv(const std::string& path, const CsvReadOptions& options) {
  validate(options);
  detail::FileSource src(path);
  return Reader(src, path, options).read();
}

void read_csv_blocks(const std::string& path, const std::vector<std::string>& columns, std::size_t block_rows,
                     const std::function<void(const CsvBlock&)>& consume, const CsvReadOptions& options) {
  validate(options);
  detail::FileSource src(path);
  Reader(src, path, options).read_blocks(columns, block_rows, consume);
}

Table read_csv_text(std::string_view text, const CsvReadOptions& options, const std::string& name) {
  validate(options);
  detail::TextSource src(text);
  return Reader(src, name, options).read();
}

}  // namespace sdcore
