// Measures of a release as it stands (include/sdcore/anonymity.hpp; docs/methods/kanon.md).
//
// The class kernel numbers each record's class. Each sensitive attribute is then counted by
// (class, value): in a dense matrix in one pass when classes x values is small beside the records,
// otherwise after a counting sort of the records by class, one class at a time into a scratch row.
// Every figure of a class follows from its counts (class Figures). Work: O(records) per attribute,
// plus O(values of the table) per class for the ordered distance (the cumulative distribution
// runs over every value) and for the dense matrix.

#include "sdcore/anonymity.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

#include "detail/keys.hpp"
#include "detail/text.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

// The records of each class, contiguous: members[begin[c] .. begin[c + 1]).
struct ClassMembers {
  std::vector<std::int64_t> begin;
  std::vector<std::int32_t> members;
};

ClassMembers group_by_class(const EquivalenceClasses& ec) {
  ClassMembers g;
  const std::size_t classes = ec.num_classes();
  g.begin.assign(classes + 1, 0);
  for (const std::int32_t c : ec.row_class) ++g.begin[static_cast<std::size_t>(c) + 1];
  for (std::size_t c = 0; c < classes; ++c) g.begin[c + 1] += g.begin[c];
  std::vector<std::int64_t> next(g.begin.begin(), g.begin.end() - 1);
  g.members.resize(ec.row_class.size());
  for (std::size_t r = 0; r < ec.row_class.size(); ++r) {
    g.members[static_cast<std::size_t>(next[static_cast<std::size_t>(ec.row_class[r])]++)] = static_cast<std::int32_t>(r);
  }
  return g;
}

// Each record's value (its code, or `missing`) handed to f(i, row, value) for i in `order` (the
// rows themselves when empty), the code width settled once; codes outside [-1, cardinality) refused.
template <class F>
void for_each_value(const KeyCodes& codes, std::size_t rows, const std::vector<std::int32_t>& order, std::int32_t missing,
                    const std::string& column, F&& f) {
  detail::with_code_type(codes.width, [&](auto type) {
    using Code = decltype(type);
    const auto* data = static_cast<const Code*>(codes.data);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::size_t row = order.empty() ? i : static_cast<std::size_t>(order[i]);
      const auto c = static_cast<std::int64_t>(data[row]);
      if (c < -1 || c >= codes.cardinality) {
        throw InvalidArgument("sensitive attribute '" + column + "': code " + std::to_string(c) + " of row " +
                              std::to_string(row + 1) + " is outside [-1, " + std::to_string(codes.cardinality) + ")");
      }
      f(i, row, c < 0 ? missing : static_cast<std::int32_t>(c));
    }
  });
}

// The figures of one attribute, class by class. p: the table's distribution over the m values
// (missing last); a class is given as its size, its counts by value (m entries) and the values
// present in it.
class Figures {
 public:
  Figures(const SensitiveAttribute& a, const std::vector<std::int64_t>& total, double n) : total_(total) {
    s_.column = a.column;
    s_.distance = a.distance;
    s_.l_distinct = std::numeric_limits<std::int64_t>::max();
    s_.l_entropy = std::numeric_limits<double>::infinity();
    p_.resize(total.size());
    for (std::size_t v = 0; v < total.size(); ++v) {
      p_[v] = static_cast<double>(total[v]) / n;
      present_values_ += total[v] > 0;
    }
    counts_begin_.push_back(0);
  }

  void add_class(double size, const std::int32_t* count, const std::vector<std::int32_t>& present) {
    s_.l_distinct = std::min<std::int64_t>(s_.l_distinct, static_cast<std::int64_t>(present.size()));
    double entropy = 0, l1_present = 0, p_present = 0;
    const auto first = counts_desc_.size();
    for (const std::int32_t v : present) {
      const std::int32_t k = count[v];
      const double q = static_cast<double>(k) / size;
      const double pv = p_[static_cast<std::size_t>(v)];
      entropy -= q * std::log(q);
      counts_desc_.push_back(k);
      l1_present += std::fabs(q - pv);
      p_present += pv;
      if (q > pv) {
        const double b = (q - pv) / pv;
        s_.beta = std::max(s_.beta, b);
        beyond_cap_ = beyond_cap_ || b > -std::log(pv);
      }
      s_.delta = std::max(s_.delta, std::fabs(std::log(q / pv)));
    }
    std::sort(counts_desc_.begin() + static_cast<std::ptrdiff_t>(first), counts_desc_.end(), std::greater<>());
    counts_begin_.push_back(static_cast<std::int64_t>(counts_desc_.size()));
    s_.l_entropy = std::min(s_.l_entropy, std::exp(entropy));
    s_.alpha = std::max(s_.alpha, static_cast<double>(counts_desc_[first]) / size);
    double t = 0;
    if (s_.distance == GroundDistance::kEqual) {
      // Values absent from the class contribute their whole p: 0.5 (sum_present |q - p| + 1 - sum_present p).
      t = 0.5 * (l1_present + std::max(0.0, 1.0 - p_present));
    } else if (present_values_ > 1) {
      double running = 0, sum = 0;
      for (std::size_t v = 0; v < p_.size(); ++v) {
        if (total_[v] == 0) continue;
        running += static_cast<double>(count[v]) / size - p_[v];
        sum += std::fabs(running);
      }
      t = sum / static_cast<double>(present_values_ - 1);
    }
    s_.t = std::max(s_.t, t);
  }

  SensitiveMeasures finish() {
    s_.enhanced_beta = beyond_cap_ ? std::numeric_limits<double>::infinity() : s_.beta;
    // Recursive (c, l) for l = l_distinct, known only now: r_1 / (r_l + ... + r_m) per class.
    const auto l = static_cast<std::size_t>(s_.l_distinct);
    for (std::size_t c = 0; c + 1 < counts_begin_.size(); ++c) {
      const auto* r = counts_desc_.data() + counts_begin_[c];
      const auto distinct = static_cast<std::size_t>(counts_begin_[c + 1] - counts_begin_[c]);
      std::int64_t tail = 0;
      for (std::size_t i = l - 1; i < distinct; ++i) tail += r[i];
      s_.recursive_c = std::max(s_.recursive_c, static_cast<double>(r[0]) / static_cast<double>(tail));
    }
    return std::move(s_);
  }

 private:
  const std::vector<std::int64_t>& total_;
  std::vector<double> p_;
  std::size_t present_values_ = 0;  // values of the table (p > 0): the m of the ordered distance
  SensitiveMeasures s_;
  bool beyond_cap_ = false;  // some (q - p) / p > -ln p: no beta gives enhanced beta-likeness
  // Each class's value counts, largest first, one class after another (for recursive c).
  std::vector<std::int32_t> counts_desc_;
  std::vector<std::int64_t> counts_begin_;
};

// Few classes x values: one pass adds each record into a dense (class, value) matrix.
SensitiveMeasures measure_dense(const EquivalenceClasses& ec, const KeyCodes& codes, const SensitiveAttribute& a) {
  const auto m = static_cast<std::size_t>(codes.cardinality) + 1;
  const std::size_t rows = ec.row_class.size();
  std::vector<std::int32_t> matrix(ec.num_classes() * m, 0);
  std::vector<std::int64_t> total(m, 0);
  for_each_value(codes, rows, {}, static_cast<std::int32_t>(m - 1), a.column,
                 [&](std::size_t, std::size_t row, std::int32_t v) {
                   ++matrix[static_cast<std::size_t>(ec.row_class[row]) * m + static_cast<std::size_t>(v)];
                   ++total[static_cast<std::size_t>(v)];
                 });
  Figures f(a, total, static_cast<double>(rows));
  std::vector<std::int32_t> present;
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    const std::int32_t* row = matrix.data() + c * m;
    present.clear();
    for (std::size_t v = 0; v < m; ++v) {
      if (row[v] > 0) present.push_back(static_cast<std::int32_t>(v));
    }
    f.add_class(static_cast<double>(ec.count[c]), row, present);
  }
  return f.finish();
}

// Otherwise: the records in class order, each class's values counted into one scratch row, reset
// through the list of values present.
SensitiveMeasures measure_sorted(const EquivalenceClasses& ec, const ClassMembers& g, const KeyCodes& codes,
                                 const SensitiveAttribute& a) {
  const auto m = static_cast<std::size_t>(codes.cardinality) + 1;
  const std::size_t rows = ec.row_class.size();
  std::vector<std::int32_t> value(rows);
  std::vector<std::int64_t> total(m, 0);
  for_each_value(codes, rows, g.members, static_cast<std::int32_t>(m - 1), a.column,
                 [&](std::size_t i, std::size_t, std::int32_t v) {
                   value[i] = v;
                   ++total[static_cast<std::size_t>(v)];
                 });
  Figures f(a, total, static_cast<double>(rows));
  std::vector<std::int32_t> count(m, 0), present;
  for (std::size_t c = 0; c + 1 < g.begin.size(); ++c) {
    present.clear();
    for (auto i = g.begin[c]; i < g.begin[c + 1]; ++i) {
      const auto v = static_cast<std::size_t>(value[static_cast<std::size_t>(i)]);
      if (count[v]++ == 0) present.push_back(static_cast<std::int32_t>(v));
    }
    f.add_class(static_cast<double>(g.begin[c + 1] - g.begin[c]), count.data(), present);
    for (const std::int32_t v : present) count[static_cast<std::size_t>(v)] = 0;
  }
  return f.finish();
}

}  // namespace

AnonymityMeasures measure_anonymity(Span<const KeyCodes> keys, std::size_t rows, Span<const KeyCodes> sensitive,
                                    const std::vector<SensitiveAttribute>& attributes, std::size_t threads) {
  if (sensitive.size() != attributes.size()) {
    throw InvalidArgument("measure_anonymity: " + std::to_string(sensitive.size()) + " sensitive code arrays for " +
                          std::to_string(attributes.size()) + " attributes");
  }
  if (rows == 0) throw InvalidArgument("measure_anonymity: the table has no records");
  if (rows > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw InvalidArgument("measure_anonymity: more than 2^31-1 records");
  }
  ClassOptions co;
  co.threads = threads;
  const EquivalenceClasses ec = equivalence_classes(keys, rows, {}, co);
  AnonymityMeasures out;
  out.records = ec.records;
  out.classes = static_cast<std::int64_t>(ec.num_classes());
  out.k = *std::min_element(ec.count.begin(), ec.count.end());
  // The dense matrix when it is small beside the records (or fits in cache anyway); it then
  // costs one pass, the sorted path a scatter and a gather.
  std::optional<ClassMembers> g;
  for (std::size_t j = 0; j < sensitive.size(); ++j) {
    const auto cells = static_cast<double>(ec.num_classes()) * static_cast<double>(sensitive[j].cardinality + 1);
    if (cells <= std::max(2.0 * static_cast<double>(rows), static_cast<double>(1 << 20))) {
      out.sensitive.push_back(measure_dense(ec, sensitive[j], attributes[j]));
    } else {
      if (!g) g = group_by_class(ec);
      out.sensitive.push_back(measure_sorted(ec, *g, sensitive[j], attributes[j]));
    }
  }
  return out;
}

AnonymityMeasures measure_anonymity(const Table& table, const std::vector<std::string>& quasi_identifiers,
                                    const std::vector<SensitiveAttribute>& sensitive, std::size_t threads) {
  if (quasi_identifiers.empty()) throw InvalidArgument("no quasi-identifiers given");
  std::vector<std::string> names;
  for (const auto& a : sensitive) {
    if (std::find(quasi_identifiers.begin(), quasi_identifiers.end(), a.column) != quasi_identifiers.end()) {
      throw InvalidArgument("column '" + a.column + "' is both a quasi-identifier and sensitive");
    }
    names.push_back(a.column);
  }
  detail::require_distinct(names, "sensitive column");
  detail::require_distinct(quasi_identifiers, "quasi-identifier");
  std::vector<Column> keep_keys, keep_sensitive;
  const auto keys = detail::key_views(table, quasi_identifiers, keep_keys);
  const auto sens = detail::key_views(table, names, keep_sensitive);
  return measure_anonymity(keys, table.num_rows(), sens, sensitive, threads);
}

}  // namespace sdcore
