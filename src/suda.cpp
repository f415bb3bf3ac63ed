// SUDA and DIS-SUDA scores from the MSUs that the SUDA2 search finds (detail/suda_search.hpp).
// Formulas, sources and the sdcMicro behaviours matched: docs/methods/suda.md.

#include "sdcore/suda.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "detail/keys.hpp"
#include "detail/suda_search.hpp"
#include "detail/suda_weights.hpp"
#include "detail/text.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

constexpr std::size_t kMaxKeys = 64;

using detail::code_at;

void validate(std::size_t num_keys, std::size_t rows, const SudaOptions& opt) {
  if (num_keys == 0) throw InvalidArgument("no key variables given");
  if (num_keys > kMaxKeys) {
    throw InvalidArgument("SUDA2 takes at most " + std::to_string(kMaxKeys) + " key variables, got " +
                          std::to_string(num_keys));
  }
  if (rows == 0) throw InvalidArgument("the table has no records");
  if (opt.max_msu_size && (*opt.max_msu_size < 1 ||
                           static_cast<std::size_t>(*opt.max_msu_size) > num_keys)) {
    throw InvalidArgument("max_msu_size must lie in [1, " + std::to_string(num_keys) +
                          "] (the number of keys), got " + std::to_string(*opt.max_msu_size));
  }
  if (!(opt.dis_fraction > 0 && opt.dis_fraction <= 1)) {
    throw InvalidArgument("dis_fraction must lie in (0, 1]");
  }
  if (opt.scoring != SudaScoring::kOriginal && opt.scoring != SudaScoring::kIhsn) {
    throw InvalidArgument("unknown SUDA scoring");
  }
  if (opt.dis_arithmetic != DisArithmetic::kSdcMicro && opt.dis_arithmetic != DisArithmetic::kExact) {
    throw InvalidArgument("unknown DIS arithmetic");
  }
}

// The distinct key patterns (the exact classes), with weight 1 for a class of one record. The
// search reads pattern rows in the order of its record lists; numbering the patterns in
// lexicographic order of their codes, coarsest key first, keeps records that share values
// closer together in memory (about 10% faster on the benchmark extract than first appearance).
detail::SudaPatterns make_patterns(Span<const KeyCodes> keys, const EquivalenceClasses& ec,
                                   std::vector<std::uint32_t>& pattern_of_class) {
  detail::SudaPatterns pat;
  const std::size_t m = keys.size();
  pat.num_keys = m;
  pat.size = ec.num_classes();
  pat.item_offset.push_back(0);
  for (const KeyCodes& k : keys) {
    pat.item_offset.push_back(pat.item_offset.back() + static_cast<std::uint32_t>(k.cardinality));
  }
  std::vector<std::int32_t> codes(pat.size * m);
  for (std::size_t c = 0; c < pat.size; ++c) {
    const auto first = static_cast<std::size_t>(ec.first_row[c]);
    for (std::size_t j = 0; j < m; ++j) codes[c * m + j] = static_cast<std::int32_t>(code_at(keys[j], first));
  }
  std::vector<std::size_t> key_order(m);
  std::iota(key_order.begin(), key_order.end(), std::size_t{0});
  std::stable_sort(key_order.begin(), key_order.end(), [&](std::size_t a, std::size_t b) {
    return keys[a].cardinality < keys[b].cardinality;
  });
  std::vector<std::uint32_t> order(pat.size);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    for (std::size_t j : key_order) {
      if (codes[a * m + j] != codes[b * m + j]) return codes[a * m + j] < codes[b * m + j];
    }
    return a < b;
  });
  pattern_of_class.assign(pat.size, 0);
  pat.codes.resize(pat.size * m);
  pat.weight.resize(pat.size);
  for (std::size_t p = 0; p < pat.size; ++p) {
    const std::uint32_t c = order[p];
    pattern_of_class[c] = static_cast<std::uint32_t>(p);
    std::copy_n(codes.begin() + static_cast<std::ptrdiff_t>(c * m), m,
                pat.codes.begin() + static_cast<std::ptrdiff_t>(p * m));
    pat.weight[p] = ec.count[c] == 1 ? 1 : 2;
  }
  return pat;
}

// Per unique pattern: MSU counts and score / contribution numerators (weights over a common
// denominator). Numerators are doubles when exact in double, else per-size counts are kept and
// the score is formed exactly with big integers at the end.
class MsuTally {
 public:
  MsuTally(const detail::SudaPatterns& pat, const detail::SudaWeights& w, int max_size)
      : w_(w), keys_(pat.num_keys), max_size_(static_cast<std::size_t>(max_size)),
        unique_(pat.size, -1), by_size_total_(max_size_, 0) {
    for (std::size_t j = 0; j < keys_; ++j) {
      item_key_.insert(item_key_.end(), pat.item_offset[j + 1] - pat.item_offset[j],
                       static_cast<std::uint32_t>(j));
    }
    std::int32_t n = 0;
    for (std::size_t p = 0; p < pat.size; ++p) {
      if (pat.weight[p] == 1) unique_[p] = n++;
    }
    const auto nu = static_cast<std::size_t>(n);
    count_.assign(nu, 0);
    min_size_.assign(nu, 0);
    contrib_.assign(nu * keys_, 0.0);
    if (w_.exact_in_double) {
      score_num_.assign(nu, 0.0);
    } else {
      by_size_.assign(nu * max_size_, 0);
    }
  }

  void operator()(std::uint32_t pattern, Span<const Span<const std::uint32_t>> groups) {
    const auto u = static_cast<std::size_t>(unique_[pattern]);
    const std::size_t size = groups.size();
    std::uint64_t copies = 1;
    for (const auto& g : groups) copies *= g.size();
    count_[u] += static_cast<std::int64_t>(copies);
    by_size_total_[size - 1] += static_cast<std::int64_t>(copies);
    if (min_size_[u] == 0 || size < min_size_[u]) min_size_[u] = static_cast<std::uint8_t>(size);
    const double w = w_.numerator_double[size];
    if (w_.exact_in_double) {
      score_num_[u] += static_cast<double>(copies) * w;
    } else {
      by_size_[u * max_size_ + size - 1] += copies;
    }
    for (const auto& g : groups) {  // each member of group g is in copies / |g| of the MSUs
      const double share = static_cast<double>(copies / g.size()) * w;
      for (std::uint32_t item : g) contrib_[u * keys_ + item_key_[item]] += share;
    }
  }

  std::int32_t unique_index(std::size_t pattern) const { return unique_[pattern]; }
  std::int64_t count(std::size_t u) const { return count_[u]; }
  std::uint8_t min_size(std::size_t u) const { return min_size_[u]; }
  double contribution_numerator(std::size_t u, std::size_t key) const {
    return contrib_[u * keys_ + key];
  }
  const std::vector<std::int64_t>& msus_by_size() const { return by_size_total_; }

  // Score numerator of unique pattern u (rounded) and the score itself (rounded once).
  std::pair<double, double> score(std::size_t u) const {
    if (w_.exact_in_double) {
      return {score_num_[u], score_num_[u] / detail::to_double(w_.denominator, 1)};
    }
    detail::BigInt num = 0;
    for (std::size_t k = 0; k < max_size_; ++k) {
      num += detail::BigInt(by_size_[u * max_size_ + k]) * w_.numerator[k + 1];
    }
    return {detail::to_double(num, 1), detail::to_double(num, w_.denominator)};
  }

 private:
  const detail::SudaWeights& w_;
  std::size_t keys_, max_size_;
  std::vector<std::int32_t> unique_;  // dense index of each unique pattern, -1 for others
  std::vector<std::int64_t> by_size_total_;
  std::vector<std::uint32_t> item_key_;
  std::vector<std::int64_t> count_;
  std::vector<std::uint8_t> min_size_;
  std::vector<double> contrib_;  // contribution numerators, unique pattern-major
  std::vector<double> score_num_;
  std::vector<std::uint64_t> by_size_;
};

// sdcMicro's record hash: a 16-bit rotate-and-add over the key values.
std::uint16_t sdcmicro_hash(const std::int32_t* values, std::size_t n) {
  std::uint32_t h = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const bool carry = (h & 0x8000u) != 0;
    h = ((h << 1) + static_cast<std::uint32_t>(values[j]) + (carry ? 1u : 0u)) & 0xFFFFu;
  }
  return static_cast<std::uint16_t>(h);
}

// The number of sample uniques as sdcMicro's Suda2 counts it: records alone in their hash
// bucket (a unique sharing a bucket with any other record is not counted).
std::int64_t sdcmicro_unique_count(Span<const KeyCodes> keys, std::size_t rows,
                                   const std::vector<std::vector<std::int32_t>>* code_values,
                                   std::int32_t missing_value) {
  std::vector<std::uint32_t> bucket(1u << 16, 0);
  std::vector<std::int32_t> values(keys.size());
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < keys.size(); ++j) {
      const std::int64_t c = code_at(keys[j], i);
      values[j] = c < 0 ? missing_value
                  : code_values ? (*code_values)[j][static_cast<std::size_t>(c)]
                                : static_cast<std::int32_t>(c + 1);
    }
    ++bucket[sdcmicro_hash(values.data(), values.size())];
  }
  std::int64_t alone = 0;
  for (std::uint32_t b : bucket) alone += b == 1;
  return alone;
}

// DIS-SUDA (Elliot 2000, as sdcMicro's Suda2 evaluates it): with U sample uniques, P records in
// pairs and sampling fraction f, dis = U f / (U f + P (1 - f)); with Q = 1 + (8 - M) / 20 and
// A = sum over scored records of score^-Q, a record's DIS-SUDA is
// 1 / (1 + (U / dis - U) / (score^Q A)). Note U / dis - U = P (1 - f) / f.
void dis_scores(SudaResult& r, std::size_t num_keys, std::int64_t sdcmicro_uniques,
                const SudaOptions& opt) {
  const auto m = static_cast<double>(num_keys);
  double numerator = static_cast<double>(r.pair_records) * (1 - opt.dis_fraction) / opt.dis_fraction;
  double q = 1 + (8 - m) / 20;
  if (opt.dis_arithmetic == DisArithmetic::kSdcMicro) {
    // Single precision where sdcMicro uses float. An unscored file needs no numerator, and with
    // no bucket-alone unique sdcMicro divides 0 by 0; the exact numerator stands in then.
    const auto f = static_cast<float>(opt.dis_fraction);
    const auto u = static_cast<float>(sdcmicro_uniques);
    const float dis = u * f / (u * f + static_cast<float>(r.pair_records) * (1.0f - f));
    if (sdcmicro_uniques > 0) numerator = static_cast<double>(u / dis - u);
    q = static_cast<double>(1.0f + (8.0f - static_cast<float>(num_keys)) / 20.0f);
  }
  double adjust = 0;
  for (double s : r.score) {
    if (s != 0) adjust += 1.0 / std::pow(s, q);
  }
  r.dis_score.assign(r.score.size(), 0.0);
  for (std::size_t i = 0; i < r.score.size(); ++i) {
    const double s = r.score[i];
    if (s != 0) r.dis_score[i] = 1.0 / (1.0 + numerator / (std::pow(s, q) * adjust));
  }
}

// attribute and level contributions, summed in extended precision as R's colSums and sum do.
void global_contributions(SudaResult& r, Span<const KeyCodes> keys) {
  long double total = 0;
  for (double s : r.score) total += s;
  r.attribute_contribution.assign(keys.size(), 0.0);
  r.level_contribution.assign(keys.size(), {});
  for (std::size_t j = 0; j < keys.size(); ++j) {
    std::vector<long double> by_level(static_cast<std::size_t>(keys[j].cardinality), 0);
    long double key_total = 0;
    for (std::size_t i = 0; i < r.score.size(); ++i) {
      const double part = r.contribution[j][i] * r.score[i];
      key_total += part;
      const std::int64_t c = code_at(keys[j], i);
      if (c >= 0) by_level[static_cast<std::size_t>(c)] += part;
    }
    if (total > 0) r.attribute_contribution[j] = 100 * static_cast<double>(key_total / total);
    auto& levels = r.level_contribution[j];
    levels.assign(by_level.size(), 0.0);
    for (std::size_t c = 0; c < by_level.size() && key_total > 0; ++c) {
      levels[c] = static_cast<double>(100 * by_level[c]) / static_cast<double>(key_total);
    }
  }
}

SudaResult run(Span<const KeyCodes> keys, std::size_t rows, const SudaOptions& opt,
               const std::vector<std::vector<std::int32_t>>* code_values) {
  validate(keys.size(), rows, opt);
  const EquivalenceClasses ec = equivalence_classes(keys, rows, {});  // also checks the codes
  std::vector<std::uint32_t> pattern_of_class;
  const detail::SudaPatterns pat = make_patterns(keys, ec, pattern_of_class);
  const int max_size = opt.max_msu_size.value_or(static_cast<int>(keys.size()));
  const detail::SudaWeights weights =
      detail::suda_weights(static_cast<int>(keys.size()), max_size, opt.scoring);
  MsuTally tally(pat, weights, max_size);
  detail::Suda2Search<MsuTally>(pat, max_size, tally, &opt.progress).run();

  SudaResult r;
  r.max_msu_size = max_size;
  r.msus_by_size = tally.msus_by_size();
  r.score.assign(rows, 0.0);
  r.msu_count.assign(rows, 0);
  r.min_msu_size.assign(rows, 0);
  r.contribution.assign(keys.size(), std::vector<double>(rows, 0.0));
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    r.sample_uniques += ec.count[c] == 1;
    r.pair_records += ec.count[c] == 2 ? 2 : 0;
  }
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int32_t u = tally.unique_index(pattern_of_class[static_cast<std::size_t>(ec.row_class[i])]);
    if (u < 0) continue;
    const auto ui = static_cast<std::size_t>(u);
    const auto [num, score] = tally.score(ui);
    r.score[i] = score;
    r.msu_count[i] = tally.count(ui);
    r.min_msu_size[i] = tally.min_size(ui);
    if (score == 0) continue;  // IHSN weights give size-M MSUs nothing; sdcMicro reports 0 then
    for (std::size_t j = 0; j < keys.size(); ++j) {
      r.contribution[j][i] = tally.contribution_numerator(ui, j) / num;
    }
  }
  const std::int64_t bucket_uniques =
      opt.dis_arithmetic == DisArithmetic::kSdcMicro
          ? sdcmicro_unique_count(keys, rows, code_values, opt.missing_value) : 0;
  dis_scores(r, keys.size(), bucket_uniques, opt);
  global_contributions(r, keys);
  return r;
}

// The value R's matrix holds for a numeric key, cast to int as sdcMicro's C++ does.
std::int32_t as_sdcmicro_int(double v) {
  constexpr double lo = std::numeric_limits<std::int32_t>::min();
  constexpr double hi = std::numeric_limits<std::int32_t>::max();
  return static_cast<std::int32_t>(std::trunc(std::fmin(std::fmax(v, lo), hi)));
}

}  // namespace

SudaResult suda2(Span<const KeyCodes> keys, std::size_t rows, const SudaOptions& options) {
  return run(keys, rows, options, nullptr);
}

SudaResult suda2(const Table& table, const std::vector<std::string>& keys,
                 const SudaOptions& options) {
  validate(keys.size(), table.num_rows(), options);
  std::vector<Column> recoded;  // numeric keys as categorical; kept alive for the views
  recoded.reserve(keys.size());
  std::vector<KeyCodes> views;
  std::vector<std::vector<std::int32_t>> code_values(keys.size());
  detail::require_distinct(keys, "key");
  for (std::size_t j = 0; j < keys.size(); ++j) {
    const Column& col = table.column(keys[j]);
    if (col.is_categorical()) {
      const std::size_t n = col.categories().size();
      for (std::size_t c = 0; c < n; ++c) code_values[j].push_back(static_cast<std::int32_t>(c + 1));
      views.push_back(KeyCodes::of(col.codes(), static_cast<std::int64_t>(n)));
      continue;
    }
    std::vector<double> values(col.values().begin(), col.values().end());
    for (double& v : values) {
      if (v == options.missing_value) v = std::numeric_limits<double>::quiet_NaN();
    }
    const Column& f = recoded.emplace_back(factorize(Column::numeric(col.name(), values)));
    code_values[j].assign(f.categories().size(), 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::int32_t c = f.codes()[i];
      if (c >= 0) code_values[j][static_cast<std::size_t>(c)] = as_sdcmicro_int(values[i]);
    }
    views.push_back(KeyCodes::of(f.codes(), static_cast<std::int64_t>(f.categories().size())));
  }
  return run(Span<const KeyCodes>(views), table.num_rows(), options, &code_values);
}

}  // namespace sdcore
