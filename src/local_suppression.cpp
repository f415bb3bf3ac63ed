// Local suppression to k-anonymity with sdcMicro's selection rule (docs/methods/local_suppression.md).
//
// sdcMicro's sweep compares each record below k with every record of the file. All that the
// rule looks at is the set of distinct key patterns present, so here the records are grouped
// into patterns (with their counts) once, and each record below k is compared with the
// patterns only. A suppression moves one record from its pattern to the pattern with that cell
// missing. fk is recomputed once per pass, as sdcMicro does, by the match-any class kernel run
// on the patterns weighted by their counts: the patterns are far fewer than the records, and
// only patterns touched by a suppression change.

#include "sdcore/local_suppression.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "detail/keys.hpp"
#include "detail/text.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

constexpr std::size_t kMaxKeys = 64;
constexpr std::size_t kMaxSubsets = 100000;

struct Plan {
  std::vector<std::size_t> column;              // table column of each quasi-identifier
  std::vector<int> importance;                  // one per quasi-identifier
  std::vector<std::size_t> order;               // quasi-identifiers, the first blanked first
  std::vector<std::vector<std::size_t>> subsets;  // key subsets, in the order they are treated
  std::vector<std::int64_t> subset_k;
};

void check_k(std::int64_t k, std::size_t rows, const std::string& what) {
  if (k < 1) throw InvalidArgument(what + " must be at least 1, got " + std::to_string(k));
  if (rows > 0 && static_cast<std::uint64_t>(k) > rows) {
    throw InvalidArgument(what + " = " + std::to_string(k) + " exceeds the number of rows (" +
                          std::to_string(rows) + "); no record could reach it");
  }
}

std::vector<std::size_t> check_keys(const Table& table, const std::vector<std::string>& qis) {
  if (qis.empty()) throw InvalidArgument("no quasi-identifiers given");
  if (qis.size() > kMaxKeys) {
    throw InvalidArgument("local suppression takes at most 64 quasi-identifiers, got " +
                          std::to_string(qis.size()));
  }
  std::vector<std::size_t> column;
  detail::require_distinct(qis, "quasi-identifier");
  for (std::size_t j = 0; j < qis.size(); ++j) {
    table.column(qis[j]);  // throws InvalidArgument naming the columns that exist
    column.push_back(*table.find(qis[j]));
  }
  return column;
}

void check_importance(const std::vector<int>& importance, std::size_t keys) {
  if (importance.size() != keys) {
    throw InvalidArgument("importance has " + std::to_string(importance.size()) +
                          " values for " + std::to_string(keys) + " quasi-identifiers");
  }
  for (std::size_t j = 0; j < keys; ++j) {
    if (importance[j] < 1 || static_cast<std::size_t>(importance[j]) > keys) {
      throw InvalidArgument("importance of quasi-identifier " + std::to_string(j) + " is " +
                            std::to_string(importance[j]) + "; it must lie in [1, " +
                            std::to_string(keys) + "]");
    }
  }
}

// All subsets of {0..keys-1} of `size` elements, in lexicographic order (R's combn order).
void add_subsets(std::size_t keys, std::size_t size, std::vector<std::vector<std::size_t>>& out) {
  std::vector<std::size_t> s(size);
  for (std::size_t i = 0; i < size; ++i) s[i] = i;
  for (;;) {
    out.push_back(s);
    std::size_t i = size;
    while (i > 0 && s[i - 1] == keys - size + i - 1) --i;
    if (i == 0) return;
    ++s[i - 1];
    for (std::size_t j = i; j < size; ++j) s[j] = s[j - 1] + 1;
  }
}

Plan make_plan(const Table& table, const std::vector<std::string>& qis, std::int64_t k,
               const LocalSuppressionOptions& options) {
  Plan plan;
  plan.column = check_keys(table, qis);
  const std::size_t m = qis.size(), rows = table.num_rows();
  check_k(k, rows, "k");
  if (!options.importance.empty()) check_importance(options.importance, m);
  if (options.combs.empty()) {
    if (!options.combs_k.empty()) throw InvalidArgument("combs_k given without combs");
    plan.subsets.emplace_back();
    for (std::size_t j = 0; j < m; ++j) plan.subsets.back().push_back(j);
    plan.subset_k.push_back(k);
    return plan;
  }
  if (!options.combs_k.empty() && options.combs_k.size() != options.combs.size()) {
    throw InvalidArgument("combs_k has " + std::to_string(options.combs_k.size()) +
                          " values for " + std::to_string(options.combs.size()) + " combs");
  }
  for (std::size_t g = 0; g < options.combs.size(); ++g) {
    const std::size_t size = options.combs[g];
    if (size < 1 || size > m) {
      throw InvalidArgument("combs size " + std::to_string(size) + " must lie in [1, " +
                            std::to_string(m) + "] (the number of quasi-identifiers)");
    }
    const std::int64_t kg = options.combs_k.empty() ? k : options.combs_k[g];
    check_k(kg, rows, "combs_k[" + std::to_string(g) + "]");
    std::size_t count = 1;  // C(m, size), exact while it stays small
    for (std::size_t i = 1; i <= size && count <= kMaxSubsets; ++i) count = count * (m - size + i) / i;
    if (plan.subsets.size() + count > kMaxSubsets) {
      throw InvalidArgument("combs asks for more than " + std::to_string(kMaxSubsets) + " key subsets");
    }
    add_subsets(m, size, plan.subsets);
    plan.subset_k.resize(plan.subsets.size(), kg);
  }
  return plan;
}

// sdcMicro's default: rank of the number of distinct values present, fewest first (ties by
// position), so the key with the most values is blanked first.
std::vector<int> default_importance(const std::vector<std::vector<std::int32_t>>& codes,
                                    const std::vector<std::int64_t>& cardinality) {
  const std::size_t m = codes.size();
  std::vector<std::size_t> distinct(m, 0);
  for (std::size_t j = 0; j < m; ++j) {
    std::vector<bool> seen(static_cast<std::size_t>(cardinality[j]), false);
    for (std::int32_t c : codes[j]) {
      if (c >= 0 && !seen[static_cast<std::size_t>(c)]) {
        seen[static_cast<std::size_t>(c)] = true;
        ++distinct[j];
      }
    }
  }
  std::vector<int> importance(m);
  for (std::size_t j = 0; j < m; ++j) {
    std::size_t rank = 1;
    for (std::size_t i = 0; i < m; ++i) rank += distinct[i] < distinct[j] || (distinct[i] == distinct[j] && i < j);
    importance[j] = static_cast<int>(rank);
  }
  return importance;
}

// The records of one key subset grouped into distinct patterns, and the sweep on them. Pattern
// codes are held in the narrowest type T that fits (int8 for up to 127 categories, the common
// case), so that the scan of all patterns made for each record below k moves few bytes.
template <class T>
class Sweep {
 public:
  Sweep(std::vector<std::int32_t*> columns, std::vector<std::int64_t> cardinality,
        std::size_t rows, std::int64_t k)
      : col_(std::move(columns)), card_(std::move(cardinality)), rows_(rows), k_(k) {}

  // Runs passes until every record has fk >= k. `order` lists subset columns, the first
  // blanked first; each suppression is reported as (row, subset column).
  template <class Report>
  void run(const std::vector<std::size_t>& order, Report&& report) {
    group();
    for (;;) {
      const std::vector<std::pair<std::int64_t, std::size_t>> below = records_below_k();
      if (below.empty()) break;
      for (const auto& entry : below) {
        const std::size_t row = entry.second, p = static_cast<std::size_t>(row_pattern_[row]);
        const std::size_t j = choose(p, order);
        move(row, p, j);
        report(row, j);
      }
      compact();
    }
    for (std::size_t j = 0; j < col_.size(); ++j) {
      for (std::size_t r = 0; r < rows_; ++r) col_[j][r] = code_[j][static_cast<std::size_t>(row_pattern_[r])];
    }
  }

 private:
  void group() {
    std::vector<KeyCodes> keys;
    for (std::size_t j = 0; j < col_.size(); ++j) {
      keys.push_back(KeyCodes::of(Span<const std::int32_t>(col_[j], rows_), card_[j]));
    }
    EquivalenceClasses ec = equivalence_classes(Span<const KeyCodes>(keys), rows_, {});
    row_pattern_ = std::move(ec.row_class);
    count_ = std::move(ec.count);
    dead_.assign(count_.size(), 0);
    code_.assign(col_.size(), {});
    for (std::size_t j = 0; j < col_.size(); ++j) {
      for (std::int64_t r : ec.first_row) code_[j].push_back(static_cast<T>(col_[j][r]));
    }
    rebuild_index();
  }

  std::string key_of(std::size_t p) const {
    std::string key(col_.size() * sizeof(T), '\0');
    for (std::size_t j = 0; j < col_.size(); ++j) std::memcpy(&key[j * sizeof(T)], &code_[j][p], sizeof(T));
    return key;
  }

  void rebuild_index() {
    index_.clear();
    index_.reserve(count_.size() * 2);
    for (std::size_t p = 0; p < count_.size(); ++p) index_.emplace(key_of(p), static_cast<std::int32_t>(p));
  }

  // Drops patterns no record has any more, so that scans and the fk kernel see only live ones.
  void compact() {
    std::vector<std::int32_t> to(count_.size(), -1);
    std::size_t live = 0;
    for (std::size_t p = 0; p < count_.size(); ++p) {
      if (count_[p] == 0) continue;
      to[p] = static_cast<std::int32_t>(live);
      for (auto& c : code_) c[live] = c[p];
      count_[live++] = count_[p];
    }
    count_.resize(live);
    dead_.assign(live, 0);
    for (auto& c : code_) c.resize(live);
    for (auto& p : row_pattern_) p = to[static_cast<std::size_t>(p)];
    rebuild_index();
  }

  // (fk, row) of every record with fk < k, in sdcMicro's order: fk ascending (its individual
  // risk 1/fk descending; R's order() is stable), then row.
  std::vector<std::pair<std::int64_t, std::size_t>> records_below_k() const {
    const std::vector<double> weight(count_.begin(), count_.end());
    std::vector<KeyCodes> keys;
    for (std::size_t j = 0; j < code_.size(); ++j) keys.push_back(KeyCodes{code_[j].data(), sizeof(T), card_[j]});
    ClassOptions opt;
    opt.missing = MissingPolicy::kMatchAny;
    const EquivalenceClasses ec = equivalence_classes(Span<const KeyCodes>(keys), count_.size(), weight, opt);
    std::vector<std::pair<std::int64_t, std::size_t>> below;
    for (std::size_t r = 0; r < rows_; ++r) {
      const auto c = static_cast<std::size_t>(ec.row_class[static_cast<std::size_t>(row_pattern_[r])]);
      const std::int64_t f = std::llround(ec.weighted_frequency[c]);
      if (f < k_) below.emplace_back(f, r);
    }
    std::sort(below.begin(), below.end());
    return below;
  }

  // Bit j set if some live pattern at the smallest positive distance from pattern p differs
  // from it in column j (both present there). Distance: columns where both are present and
  // differ. 0 if every live pattern is at distance 0.
  std::uint64_t nearest_differences(std::size_t p) {
    const std::size_t n = count_.size();
    dist_.assign(n, 0);
    std::uint8_t* d = dist_.data();
    for (std::size_t j = 0; j < col_.size(); ++j) {
      const T v = code_[j][p];
      if (v < 0) continue;
      const T* c = code_[j].data();
      for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint8_t>(d[i] + ((c[i] >= 0) & (c[i] != v)));
    }
    // Distance 0 and dead patterns both map to 255, so the minimum is (smallest positive) - 1.
    const std::uint8_t* dead = dead_.data();  // a local, so the loop vectorises
    std::uint8_t low = 255;
    for (std::size_t i = 0; i < n; ++i) {
      const auto t = static_cast<std::uint8_t>((d[i] - 1) | dead[i]);
      d[i] = t;
      low = t < low ? t : low;
    }
    std::uint64_t mask = 0;
    if (low == 255) return mask;
    for (const void* hit = std::memchr(d, low, n); hit != nullptr;) {
      const auto i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - d);
      for (std::size_t j = 0; j < col_.size(); ++j) {
        const T v = code_[j][p], c = code_[j][i];
        if (v >= 0 && c >= 0 && c != v) mask |= std::uint64_t{1} << j;
      }
      hit = i + 1 < n ? std::memchr(d + i + 1, low, n - i - 1) : nullptr;
    }
    return mask;
  }

  // sdcMicro's choice: the first column in `order` in which a nearest pattern differs. When no
  // pattern is at a positive distance (sdcMicro stops with an error there), the first column
  // in `order` the record still has.
  std::size_t choose(std::size_t p, const std::vector<std::size_t>& order) {
    const std::uint64_t mask = nearest_differences(p);
    for (std::size_t j : order) {
      if (mask != 0 ? ((mask >> j) & 1) != 0 : code_[j][p] >= 0) return j;
    }
    throw Error("local suppression: no cell left to suppress (internal error)");
  }

  // Moves `row` from pattern p to p with column j missing.
  void move(std::size_t row, std::size_t p, std::size_t j) {
    std::string key = key_of(p);
    const T missing = static_cast<T>(kMissingCode);
    std::memcpy(&key[j * sizeof(T)], &missing, sizeof(T));
    const auto [it, fresh] = index_.emplace(std::move(key), static_cast<std::int32_t>(count_.size()));
    if (fresh) {
      for (std::size_t i = 0; i < code_.size(); ++i) code_[i].push_back(i == j ? missing : code_[i][p]);
      count_.push_back(0);
      dead_.push_back(0);
    }
    const auto q = static_cast<std::size_t>(it->second);
    if (--count_[p] == 0) dead_[p] = 0xFF;
    ++count_[q];
    dead_[q] = 0;
    row_pattern_[row] = it->second;
  }

  std::vector<std::int32_t*> col_;  // the records' codes, written back at the end
  std::vector<std::int64_t> card_;
  std::size_t rows_;
  std::int64_t k_;
  std::vector<std::vector<T>> code_;    // code_[j][pattern]
  std::vector<std::int64_t> count_;     // records per pattern
  std::vector<std::uint8_t> dead_;      // 0xFF where count_ is 0
  std::vector<std::int32_t> row_pattern_;
  std::unordered_map<std::string, std::int32_t> index_;
  std::vector<std::uint8_t> dist_;
};

// Whether every record has fk >= k on every subset, the codes being the final ones.
bool all_k_anonymous(const Plan& plan, const std::vector<std::vector<std::int32_t>>& codes,
                     const std::vector<std::int64_t>& cardinality, std::size_t rows) {
  if (rows == 0) return true;
  ClassOptions opt;
  opt.missing = MissingPolicy::kMatchAny;
  for (std::size_t s = 0; s < plan.subsets.size(); ++s) {
    std::vector<KeyCodes> keys;
    for (std::size_t j : plan.subsets[s]) keys.push_back(KeyCodes::of(codes[j], cardinality[j]));
    const EquivalenceClasses ec = equivalence_classes(Span<const KeyCodes>(keys), rows, {}, opt);
    for (std::int64_t f : ec.frequency) {
      if (f < plan.subset_k[s]) return false;
    }
  }
  return true;
}

Table apply_cells(const Table& table, const Plan& plan, const std::vector<std::vector<std::int32_t>>& codes,
                  const std::vector<SuppressedCell>& cells) {
  std::vector<std::vector<std::size_t>> rows_of(plan.column.size());
  for (const SuppressedCell& c : cells) rows_of[c.key].push_back(c.row);
  Table out;
  for (std::size_t i = 0; i < table.num_columns(); ++i) {
    const Column& col = table.column(i);
    const auto it = std::find(plan.column.begin(), plan.column.end(), i);
    const std::size_t j = static_cast<std::size_t>(it - plan.column.begin());
    if (it == plan.column.end() || rows_of[j].empty()) {
      out.add_column(col);
    } else if (col.is_categorical()) {
      out.add_column(Column::categorical(col.name(), codes[j], col.categories()));
    } else {
      std::vector<double> values(col.values().begin(), col.values().end());
      for (std::size_t r : rows_of[j]) values[r] = std::numeric_limits<double>::quiet_NaN();
      out.add_column(Column::numeric(col.name(), std::move(values)));
    }
  }
  return out;
}

// The sweep on key subset s of the plan, recording its suppressions in `result`.
void run_subset(const Plan& plan, std::size_t s, std::vector<std::vector<std::int32_t>>& codes,
                const std::vector<std::int64_t>& cardinality, std::size_t rows,
                LocalSuppressionResult& result) {
  const std::vector<std::size_t>& subset = plan.subsets[s];
  std::vector<std::int32_t*> cols;
  std::vector<std::int64_t> card;
  std::vector<std::size_t> local(codes.size(), 0), order;
  for (std::size_t i = 0; i < subset.size(); ++i) {
    cols.push_back(codes[subset[i]].data());
    card.push_back(cardinality[subset[i]]);
    local[subset[i]] = i;
  }
  // The subset's own order is the global one restricted to it, as sdcMicro's rank() of the
  // subset's importances gives.
  for (std::size_t j : plan.order) {
    if (std::find(subset.begin(), subset.end(), j) != subset.end()) order.push_back(local[j]);
  }
  const auto report = [&](std::size_t row, std::size_t j) {
    result.cells.push_back({row, subset[j]});
    ++result.suppressed[subset[j]];
  };
  const std::int64_t widest = *std::max_element(card.begin(), card.end());
  const std::int64_t k = plan.subset_k[s];
  if (widest <= std::numeric_limits<std::int8_t>::max()) {
    Sweep<std::int8_t>(std::move(cols), std::move(card), rows, k).run(order, report);
  } else if (widest <= std::numeric_limits<std::int16_t>::max()) {
    Sweep<std::int16_t>(std::move(cols), std::move(card), rows, k).run(order, report);
  } else {
    Sweep<std::int32_t>(std::move(cols), std::move(card), rows, k).run(order, report);
  }
}

}  // namespace

LocalSuppressionResult local_suppression(const Table& table,
                                         const std::vector<std::string>& quasi_identifiers,
                                         std::int64_t k, const LocalSuppressionOptions& options) {
  Plan plan = make_plan(table, quasi_identifiers, k, options);
  const std::size_t m = quasi_identifiers.size(), rows = table.num_rows();
  std::vector<Column> factorized;  // numeric quasi-identifiers recoded; kept alive for the views
  const std::vector<KeyCodes> views = detail::key_views(table, quasi_identifiers, factorized);
  std::vector<std::vector<std::int32_t>> codes(m);
  std::vector<std::int64_t> cardinality(m);
  for (std::size_t j = 0; j < m; ++j) {
    const auto* data = static_cast<const std::int32_t*>(views[j].data);
    codes[j].assign(data, data + rows);
    cardinality[j] = views[j].cardinality;
  }
  plan.importance = options.importance.empty() ? default_importance(codes, cardinality) : options.importance;
  plan.order.resize(m);
  for (std::size_t j = 0; j < m; ++j) plan.order[j] = j;
  // sdcMicro orders by importance, largest first; R's order() is stable, so ties go by position.
  std::stable_sort(plan.order.begin(), plan.order.end(),
                   [&](std::size_t a, std::size_t b) { return plan.importance[a] > plan.importance[b]; });

  LocalSuppressionResult result;
  result.importance = plan.importance;
  result.suppressed.assign(m, 0);
  for (std::size_t s = 0; s < plan.subsets.size() && rows > 0; ++s) {
    run_subset(plan, s, codes, cardinality, rows, result);
    if (options.progress) options.progress(s + 1, plan.subsets.size());
  }
  result.total_suppressed = static_cast<std::int64_t>(result.cells.size());
  result.k_anonymous = options.combs.empty() || all_k_anonymous(plan, codes, cardinality, rows);
  result.table = apply_cells(table, plan, codes, result.cells);
  return result;
}

}  // namespace sdcore
