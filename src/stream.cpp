// Key combinations of a CSV file counted block by block (include/sdcore/stream.hpp).

#include "sdcore/stream.hpp"

#include <algorithm>
#include <cmath>

#include "detail/keys.hpp"
#include "detail/text.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

// The distinct combinations counted so far: one row each, codes into the file-wide categories.
struct Pending {
  std::vector<std::vector<std::int32_t>> codes;  // per key
  std::vector<std::int64_t> count;
  std::vector<double> weight_sum;  // empty when unweighted
  bool merged = true;              // no two rows hold the same combination

  std::size_t rows() const { return count.size(); }
};

// Views of the key columns among `codes` (the first categories.size() of them).
std::vector<KeyCodes> views(const std::vector<std::vector<std::int32_t>>& codes,
                            const std::vector<std::vector<std::string>>& categories) {
  std::vector<KeyCodes> keys;
  for (std::size_t j = 0; j < categories.size(); ++j) {
    keys.push_back(KeyCodes::of(codes[j], static_cast<std::int64_t>(categories[j].size())));
  }
  return keys;
}

// Rows of `ec` (classes of rows whose key codes are the first into.codes.size() of `codes`)
// appended to `into`.
void append_classes(const EquivalenceClasses& ec, const std::vector<std::vector<std::int32_t>>& codes,
                    bool weighted, Pending& into) {
  for (std::size_t j = 0; j < into.codes.size(); ++j) {
    for (const std::int64_t row : ec.first_row) into.codes[j].push_back(codes[j][static_cast<std::size_t>(row)]);
  }
  into.count.insert(into.count.end(), ec.count.begin(), ec.count.end());
  if (weighted) into.weight_sum.insert(into.weight_sum.end(), ec.weighted_frequency.begin(), ec.weighted_frequency.end());
}

// Pending rows with equal combinations merged, in order of first appearance (the kernel numbers
// classes so), counts and weight sums added.
void merge(Pending& p, const std::vector<std::vector<std::string>>& categories, std::size_t threads) {
  if (p.merged) return;
  ClassOptions co;
  co.frequency = p.count;
  co.threads = threads;
  const auto keys = views(p.codes, categories);
  const auto ec = equivalence_classes(keys, p.rows(), p.weight_sum, co);
  Pending out;
  out.codes.resize(p.codes.size());
  append_classes(ec, p.codes, !p.weight_sum.empty(), out);
  p = std::move(out);
}

// A weight the kernel would refuse, located in the file.
void check_weights(const CsvBlock& block, std::size_t column, const std::string& name, const std::string& path) {
  const auto& w = block.values[column];
  for (std::size_t i = 0; i < block.rows; ++i) {
    const char* what = detail::weight_fault(w[i]);
    if (what == nullptr) continue;
    const std::string text = std::isnan(w[i]) ? "" : detail::format_number(w[i]);
    throw ParseError(path, block.lines[i], block.field[column], text,
                     path + ":" + std::to_string(block.lines[i]) + ":" + std::to_string(block.field[column]) +
                         ": weight in column '" + name + "' is " + std::string(what) +
                         "; sampling weights must be positive and finite");
  }
}

}  // namespace

Table count_combinations_csv(const std::string& path, const std::vector<std::string>& keys, const std::string& weight,
                             const CombinationCountOptions& options) {
  if (keys.empty()) throw InvalidArgument("no key columns given");
  const bool weighted = !weight.empty();
  if (options.count_column.empty() || (weighted && options.weight_column.empty()) ||
      options.count_column == options.weight_column) {
    throw InvalidArgument("the count and weight-sum columns need two different, non-empty names");
  }
  CsvReadOptions read = options.read;
  for (const auto& k : keys) {
    if (k == options.count_column || (weighted && k == options.weight_column)) {
      throw InvalidArgument("key column '" + k + "' has the name of a result column; rename the result's "
                            "count or weight-sum column");
    }
    if (k == weight) throw InvalidArgument("column '" + k + "' is both a key and the weight");
    const auto it = read.column_types.find(k);
    if (it != read.column_types.end() && it->second != ColumnType::kCategorical) {
      throw InvalidArgument("key column '" + k + "' is read as text when counting combinations; it cannot be "
                            "typed numeric");
    }
    read.column_types[k] = ColumnType::kCategorical;
  }
  if (weighted) {
    const auto it = read.column_types.find(weight);
    if (it != read.column_types.end() && it->second != ColumnType::kNumeric) {
      throw InvalidArgument("weight column '" + weight + "' must be read as numbers, not as categorical");
    }
    read.column_types[weight] = ColumnType::kNumeric;
  }
  std::vector<std::string> columns = keys;
  if (weighted) columns.push_back(weight);

  const std::size_t nk = keys.size();
  std::vector<std::vector<std::string>> categories(nk);
  Pending pending;
  pending.codes.resize(nk);
  std::size_t merge_at = std::max<std::size_t>(options.max_pending, 1);
  std::size_t records = 0;
  read_csv_blocks(
      path, columns, options.block_rows,
      [&](const CsvBlock& block) {
        for (std::size_t j = 0; j < nk; ++j) {  // the categories new in this block
          const auto& cats = block.categories[j];
          categories[j].insert(categories[j].end(), cats.begin() + static_cast<std::ptrdiff_t>(categories[j].size()),
                               cats.end());
        }
        Span<const double> w;
        if (weighted) {
          check_weights(block, nk, weight, path);
          w = Span<const double>(block.values[nk].data(), block.rows);
        }
        ClassOptions co;
        co.threads = options.threads;
        const auto ec = equivalence_classes(views(block.codes, categories), block.rows, w, co);
        pending.merged = pending.rows() == 0;
        append_classes(ec, block.codes, weighted, pending);
        records += block.rows;
        if (pending.rows() > merge_at) {
          merge(pending, categories, options.threads);
          merge_at = std::max(merge_at, 2 * pending.rows());  // many distinct: merge less often
        }
      },
      read);
  if (records == 0) throw InvalidArgument(path + " has no records");
  merge(pending, categories, options.threads);

  Table out;
  for (std::size_t j = 0; j < nk; ++j) {
    out.add_column(Column::categorical(keys[j], std::move(pending.codes[j]), std::move(categories[j])));
  }
  out.add_column(Column::numeric(options.count_column, std::vector<double>(pending.count.begin(), pending.count.end())));
  if (weighted) out.add_column(Column::numeric(options.weight_column, std::move(pending.weight_sum)));
  return out;
}

std::vector<std::int64_t> whole_counts(const Table& table, const std::string& column) {
  return detail::record_counts(table, column);
}

}  // namespace sdcore
