// Equivalence classes by packed integer keys.
//
// Each quasi-identifier contributes a digit (code + 1, so missing is 0) in a mixed-radix number.
// As many columns as fit in 64 bits are packed per pass; the packed keys are then mapped to
// dense ids (a direct table when the key space is small, a hash index otherwise), and the dense
// id becomes the leading digit of the next pass. Keys are therefore exact — no hash collision
// can merge two classes — for any number of columns, with no per-row allocation.

#include "sdcore/classes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <exception>
#include <string>
#include <thread>
#include <unordered_map>

#include "detail/huge_pages.hpp"
#include "detail/key_index.hpp"
#include "detail/keys.hpp"
#include "detail/text.hpp"
#include "detail/threads.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

constexpr std::size_t kNoRow = std::numeric_limits<std::size_t>::max();
constexpr std::uint64_t kDirectTableMax = std::uint64_t{1} << 24;

using detail::code_at;
using detail::with_code_type;

void validate(Span<const KeyCodes> keys, std::size_t rows, Span<const double> weights) {
  if (keys.empty()) throw InvalidArgument("no quasi-identifiers given");
  if (rows >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw InvalidArgument("too many rows for one table (at most 2^31-2)");
  }
  for (std::size_t j = 0; j < keys.size(); ++j) {
    const auto& k = keys[j];
    if (k.width != 1 && k.width != 2 && k.width != 4 && k.width != 8) {
      throw InvalidArgument("key " + std::to_string(j) + ": code width must be 1, 2, 4 or 8 bytes");
    }
    if (k.cardinality < 0 || k.cardinality > std::numeric_limits<std::int32_t>::max()) {
      throw InvalidArgument("key " + std::to_string(j) + ": cardinality out of range");
    }
    if (k.data == nullptr && rows > 0) throw InvalidArgument("key " + std::to_string(j) + ": no data");
  }
  if (!weights.empty()) {
    if (weights.size() != rows) {
      throw InvalidArgument("weights have " + std::to_string(weights.size()) + " values for " +
                            std::to_string(rows) + " rows");
    }
    for (std::size_t i = 0; i < rows; ++i) {
      if (const char* what = detail::weight_fault(weights[i])) {
        throw InvalidArgument("weight of row " + std::to_string(i + 1) + " (1-based) is " + what +
                              "; sampling weights must be positive and finite");
      }
    }
  }
}

void validate_frequency(Span<const std::int64_t> frequency, std::size_t rows) {
  if (frequency.empty()) return;
  if (frequency.size() != rows) {
    throw InvalidArgument("frequencies have " + std::to_string(frequency.size()) + " values for " +
                          std::to_string(rows) + " rows");
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    if (frequency[i] < 1) {
      throw InvalidArgument("frequency of row " + std::to_string(i + 1) + " (1-based) is " + std::to_string(frequency[i]) +
                            "; each row must stand for at least one record");
    }
    if (__builtin_add_overflow(total, frequency[i], &total)) {
      throw InvalidArgument("the frequencies add up to more than 2^63 records");
    }
  }
}

// keys[i] (+)= (code_i + 1) * stride. Returns the first row whose code is outside
// [-1, cardinality), or kNoRow.
//
// Written so that the compiler vectorises it (this loop was half of the kernel's time as scalar
// code): codes of up to 32 bits are checked as uint32 (code + 1 wraps to >= 2^31 for any code
// below -1 or at INT32_MAX, and the cardinality is below 2^31), and the 64-bit product is taken
// as two 32x32->64 multiplies, exact for a digit below 2^32: d * stride = d * lo + (d * hi << 32)
// mod 2^64. A bad digit makes a wrong key, but then the function throws.
template <class T>
[[gnu::always_inline]] inline std::size_t add_digit(const T* codes, std::size_t rows, std::int64_t cardinality,
                      std::uint64_t stride, std::uint64_t* keys, bool first) {
  const auto lo = static_cast<std::uint32_t>(stride), hi = static_cast<std::uint32_t>(stride >> 32);
  const auto digit = [](T code) {
    if constexpr (sizeof(T) < 8) {
      return static_cast<std::uint32_t>(static_cast<std::int32_t>(code)) + 1u;
    } else {
      return static_cast<std::uint64_t>(code) + 1u;
    }
  };
  using D = decltype(digit(T{}));
  const auto limit = static_cast<D>(cardinality);
  const auto term = [lo, hi](D d) {
    const auto d32 = static_cast<std::uint32_t>(d);
    return std::uint64_t{d32} * lo + (std::uint64_t{d32 * hi} << 32);
  };
  D worst = 0;  // the largest digit; bad iff above the limit
  if (first) {
    for (std::size_t i = 0; i < rows; ++i) {
      const D d = digit(codes[i]);
      worst = std::max(worst, d);
      keys[i] = term(d);
    }
  } else {
    for (std::size_t i = 0; i < rows; ++i) {
      const D d = digit(codes[i]);
      worst = std::max(worst, d);
      keys[i] += term(d);
    }
  }
  if (worst <= limit) return kNoRow;
  for (std::size_t i = 0; i < rows; ++i) {
    if (digit(codes[i]) > limit) return i;
  }
  return kNoRow;
}

// add_digit for each code width, compiled also for AVX-512 and AVX2 and picked at load time by
// what the CPU has (GCC/Clang function multiversioning; glibc's ifunc): 8 or 4 digits per
// instruction instead of SSE2's 2, which the baseline x86-64 target allows.
#if defined(__x86_64__) && defined(__linux__) && (defined(__clang__) ? __clang_major__ >= 14 : defined(__GNUC__))
#define SDCORE_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SDCORE_MULTIVERSION
#endif
#define SDCORE_ADD_DIGIT(T)                                                                              \
  SDCORE_MULTIVERSION std::size_t add_digit_##T(const std::T* codes, std::size_t rows, std::int64_t card, \
                                                std::uint64_t stride, std::uint64_t* keys, bool first) { \
    return add_digit(codes, rows, card, stride, keys, first);                                           \
  }
SDCORE_ADD_DIGIT(int8_t)
SDCORE_ADD_DIGIT(int16_t)
SDCORE_ADD_DIGIT(int32_t)
SDCORE_ADD_DIGIT(int64_t)
#undef SDCORE_ADD_DIGIT

std::size_t add_digit_any(const KeyCodes& k, std::size_t start, std::size_t rows, std::uint64_t stride,
                          std::uint64_t* keys, bool first) {
  switch (k.width) {
    case 1: return add_digit_int8_t(static_cast<const std::int8_t*>(k.data) + start, rows, k.cardinality, stride, keys, first);
    case 2: return add_digit_int16_t(static_cast<const std::int16_t*>(k.data) + start, rows, k.cardinality, stride, keys, first);
    case 4: return add_digit_int32_t(static_cast<const std::int32_t*>(k.data) + start, rows, k.cardinality, stride, keys, first);
    default: return add_digit_int64_t(static_cast<const std::int64_t*>(k.data) + start, rows, k.cardinality, stride, keys, first);
  }
}

struct Dense {
  std::vector<std::int32_t> ids;
  std::vector<std::int64_t> count;
  std::vector<std::int64_t> first_row;
};

// Rows are packed and densified a block at a time, so the keys stay in L2 and no n-sized key
// array is ever allocated (a fresh one per call cost more in page faults than the work itself).
constexpr std::size_t kBlock = 16384;

// Maps keys in [0, space), arriving block by block in row order, to dense ids in order of first
// appearance: a direct table when the key space is small, a hash index otherwise.
// `ids` receives each row's id (rows numbered from 0 within the range counted); `class_keys`, if
// given, each new class's key.
class Densifier {
 public:
  Densifier(std::uint64_t space, std::size_t rows, Dense& out, std::int32_t* ids,
            std::vector<std::uint64_t>* class_keys = nullptr)
      : out_(out),
        ids_(ids),
        class_keys_(class_keys),
        direct_(space <= kDirectTableMax && space <= 2 * static_cast<std::uint64_t>(rows) + 4096),
        index_(direct_ ? 0 : (rows < 4096 ? rows : 4096)) {
    out_.count.clear();
    out_.first_row.clear();
    if (direct_) table_.assign(static_cast<std::size_t>(space), -1);
  }

  // After the count: the id of `key`, giving it id `next` if it is new (`is_new` tells which), so
  // that another range's classes can be merged into this one's without a second index.
  std::int32_t merge(std::uint64_t key, std::int32_t next, bool& is_new) {
    if (direct_) {
      std::int32_t& slot = table_[static_cast<std::size_t>(key)];
      is_new = slot < 0;
      if (is_new) slot = next;
      return slot;
    }
    return index_.insert(key, is_new);  // the index numbers its keys 0, 1, 2, ... as the classes
  }

  void prefetch(std::uint64_t key) const {
    if (direct_) {
      __builtin_prefetch(&table_[static_cast<std::size_t>(key)]);
    } else {
      index_.prefetch(key);
    }
  }

  // Writes the counts to the output once every block is added.
  void finish() { out_.count.assign(count_.begin(), count_.end()); }

  void add(const std::uint64_t* keys, std::size_t n, std::size_t start) {
    if (direct_) {
      for (std::size_t r = 0; r < n; ++r) {
        std::int32_t& slot = table_[static_cast<std::size_t>(keys[r])];
        const bool is_new = slot < 0;
        if (is_new) slot = static_cast<std::int32_t>(count_.size());
        record(start + r, slot, is_new, keys[r]);
      }
      return;
    }
    constexpr std::size_t kAhead = 16;
    for (std::size_t r = 0; r < n; ++r) {
      if (r + kAhead < n) index_.prefetch(keys[r + kAhead]);
      bool is_new = false;
      const std::int32_t id = index_.insert(keys[r], is_new);
      record(start + r, id, is_new, keys[r]);
    }
  }

 private:
  void record(std::size_t row, std::int32_t id, bool is_new, std::uint64_t key) {
    if (is_new) {
      out_.first_row.push_back(static_cast<std::int64_t>(row));
      count_.push_back(0);
      if (class_keys_ != nullptr) class_keys_->push_back(key);
    }
    ++count_[static_cast<std::size_t>(id)];
    ids_[row] = id;
  }

  Dense& out_;
  // Counts while counting: 4 bytes, so that the array incremented at random stays in L2 twice as
  // long (a range has fewer than 2^31 rows).
  std::vector<std::uint32_t> count_;
  std::int32_t* ids_;
  std::vector<std::uint64_t>* class_keys_;
  bool direct_;
  detail::KeyIndex index_;  // unused (minimal) when the direct table serves
  std::vector<std::int32_t, detail::HugePageAllocator<std::int32_t>> table_;
};

struct Digit {
  std::size_t key;
  std::uint64_t stride;
};

// The keys of one pass, starting at key j: as many as fit in 64 bits after a leading digit of
// radix `lead` (1 on the first pass, else the number of classes so far). Returns the key space.
std::uint64_t plan_pass(Span<const KeyCodes> keys, std::size_t& j, std::uint64_t lead, std::vector<Digit>& digits) {
  digits.clear();
  std::uint64_t stride = lead;
  while (j < keys.size()) {
    std::uint64_t next = 0;
    if (__builtin_mul_overflow(stride, static_cast<std::uint64_t>(keys[j].cardinality) + 1, &next)) break;
    digits.push_back({j, stride});
    stride = next;
    ++j;
  }
  return stride;
}

// Packs the digits of rows [begin, end) block by block and hands the keys to `densifier`
// (rows numbered from `begin`). `lead_ids`, if not null, are the previous pass's ids (the leading
// digit). Throws for a code outside its key's range, naming the first such row.
void pack_range(Span<const KeyCodes> keys, const std::vector<Digit>& digits, const std::int32_t* lead_ids,
                std::size_t begin, std::size_t end, Densifier& densifier) {
  std::vector<std::uint64_t> block(std::min(kBlock, end - begin));
  std::uint64_t* buf = block.data();
  for (std::size_t start = begin; start < end; start += kBlock) {
    const std::size_t n = std::min(kBlock, end - start);
    if (lead_ids != nullptr) {  // read before the pass overwrites them
      for (std::size_t r = 0; r < n; ++r) buf[r] = static_cast<std::uint64_t>(lead_ids[start + r]);
    }
    for (std::size_t d = 0; d < digits.size(); ++d) {
      const KeyCodes& k = keys[digits[d].key];
      const std::size_t bad = add_digit_any(k, start, n, digits[d].stride, buf, lead_ids == nullptr && d == 0);
      if (bad != kNoRow) {
        throw InvalidArgument("key " + std::to_string(digits[d].key) + " row " + std::to_string(start + bad) +
                              ": code " + std::to_string(code_at(k, start + bad)) + " outside [-1, " +
                              std::to_string(k.cardinality) + ")");
      }
    }
    densifier.add(buf, n, start - begin);
  }
}

// Rows at least this many per thread before the count is split.
constexpr std::size_t kRowsPerThread = std::size_t{1} << 18;

// One pass over every key, the rows split into `parts` contiguous ranges counted on threads of
// their own; the ranges' classes are then merged in range order, so ids, counts and first rows
// are those of the sequential count (classes numbered in order of first appearance).
Dense parallel_classes(Span<const KeyCodes> keys, const std::vector<Digit>& digits, std::uint64_t space,
                       std::size_t rows, std::size_t parts) {
  Dense out;
  out.ids.reserve(rows);
  detail::advise_huge_pages(out.ids.data(), rows * sizeof(std::int32_t));
  out.ids.resize(rows);
  std::vector<std::size_t> begin(parts + 1);
  for (std::size_t p = 0; p <= parts; ++p) begin[p] = rows * p / parts;
  std::vector<Dense> local(parts);
  std::vector<std::vector<std::uint64_t>> class_keys(parts);
  std::vector<std::unique_ptr<Densifier>> densifier(parts);
  std::vector<std::exception_ptr> error(parts);
  auto count = [&](std::size_t p) {
    try {
      densifier[p] = std::make_unique<Densifier>(space, begin[p + 1] - begin[p], local[p], out.ids.data() + begin[p],
                                                 p == 0 ? nullptr : &class_keys[p]);
      pack_range(keys, digits, nullptr, begin[p], begin[p + 1], *densifier[p]);
      densifier[p]->finish();
      if (p > 0) densifier[p].reset();  // only range 0's index is kept, for the merge
    } catch (...) {
      error[p] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t p = 1; p < parts; ++p) detail::start_or_run(pool, count, p);
  count(0);
  for (auto& t : pool) t.join();
  for (const auto& e : error) {
    if (e) std::rethrow_exception(e);  // the lowest range's: the first bad row, as sequentially
  }
  // Range 0's classes keep their ids; each later range's are looked up in range 0's index (which
  // holds range 0's keys already, so no second index is built) or appended, in order.
  out.count = std::move(local[0].count);
  out.first_row = std::move(local[0].first_row);
  Densifier& index = *densifier[0];
  std::vector<std::vector<std::int32_t>> remap(parts);
  constexpr std::size_t kAhead = 16;  // the index outgrows the caches when classes are many
  for (std::size_t p = 1; p < parts; ++p) {
    const std::size_t n = local[p].count.size();
    remap[p].resize(n);
    for (std::size_t c = 0; c < n; ++c) {
      if (c + kAhead < n) index.prefetch(class_keys[p][c + kAhead]);
      bool is_new = false;
      const std::int32_t id = index.merge(class_keys[p][c], static_cast<std::int32_t>(out.count.size()), is_new);
      remap[p][c] = id;
      if (is_new) {
        out.count.push_back(0);
        out.first_row.push_back(local[p].first_row[c] + static_cast<std::int64_t>(begin[p]));
      }
      out.count[static_cast<std::size_t>(id)] += local[p].count[c];
    }
  }
  densifier[0].reset();
  // Rows from begin[1] on get global ids (range 0 is numbered globally already); those rows are
  // shared evenly between the threads (when there are enough of them to pay for a thread),
  // whatever range they fall in.
  const std::size_t from = begin[1];
  const std::size_t helpers = std::clamp<std::size_t>((rows - from) / (2 * kRowsPerThread), 1, parts);
  auto relabel = [&](std::size_t t) {
    const std::size_t lo = from + (rows - from) * t / helpers, hi = from + (rows - from) * (t + 1) / helpers;
    for (std::size_t p = 1; p < parts; ++p) {
      const std::size_t b = std::max(lo, begin[p]), e = std::min(hi, begin[p + 1]);
      const std::int32_t* m = remap[p].data();
      for (std::size_t r = b; r < e; ++r) out.ids[r] = m[static_cast<std::size_t>(out.ids[r])];
    }
  };
  pool.clear();
  for (std::size_t t = 1; t < helpers; ++t) pool.emplace_back(relabel, t);
  relabel(0);
  for (auto& t : pool) t.join();
  return out;
}

// Packs and densifies all key columns; returns the dense classes of the exact key patterns.
Dense exact_classes(Span<const KeyCodes> keys, std::size_t rows, std::size_t threads) {
  std::vector<Digit> digits;
  {
    std::size_t j = 0;
    const std::uint64_t space = plan_pass(keys, j, 1, digits);
    const std::size_t parts = std::min(threads, rows / kRowsPerThread);
    if (j == keys.size() && parts > 1) return parallel_classes(keys, digits, space, rows, parts);
  }
  Dense dense;
  dense.ids.reserve(rows);
  detail::advise_huge_pages(dense.ids.data(), rows * sizeof(std::int32_t));
  dense.ids.resize(rows);
  bool have_ids = false;
  for (std::size_t j = 0; j < keys.size();) {
    const std::uint64_t space = plan_pass(keys, j, have_ids ? dense.count.size() : 1, digits);
    Densifier densifier(space, rows, dense, dense.ids.data());
    pack_range(keys, digits, have_ids ? dense.ids.data() : nullptr, 0, rows, densifier);
    densifier.finish();
    have_ids = true;
  }
  return dense;
}

// sdcMicro's rule: fk of a pattern counts all patterns that agree wherever neither is missing.
// Patterns are grouped by which keys they miss; for each pair of groups the patterns are joined
// on the keys both have.
void match_any(Span<const KeyCodes> keys, Span<const double> weights, EquivalenceClasses& ec) {
  const std::size_t nclass = ec.num_classes();
  const std::size_t nkey = keys.size();
  std::vector<std::vector<std::int64_t>> code(nclass, std::vector<std::int64_t>(nkey));
  std::map<std::vector<bool>, std::vector<std::size_t>> groups;
  for (std::size_t c = 0; c < nclass; ++c) {
    std::vector<bool> mask(nkey);
    for (std::size_t j = 0; j < nkey; ++j) {
      code[c][j] = code_at(keys[j], static_cast<std::size_t>(ec.first_row[c]));
      mask[j] = code[c][j] < 0;
    }
    groups[mask].push_back(c);
  }
  if (groups.size() == 1 && groups.begin()->first == std::vector<bool>(nkey, false)) return;
  std::vector<double> class_weight(nclass, 0.0);
  if (!weights.empty()) {
    for (std::size_t i = 0; i < ec.num_rows(); ++i) {
      class_weight[static_cast<std::size_t>(ec.row_class[i])] += weights[i];
    }
  }
  std::vector<std::int64_t> freq(nclass, 0);
  std::vector<double> wfreq(nclass, 0.0);
  const std::vector<bool> complete(nkey, false), all_missing(nkey, true);
  for (const auto& group_p : groups) {
    const auto& [mask_p, members_p] = group_p;
    for (const auto& group_q : groups) {
      const auto& [mask_q, members_q] = group_q;
      // sdcMicro's freqCalc does not let a record whose keys are all missing count towards a
      // record with a complete key (though the all-missing record itself matches everyone).
      if (mask_p == complete && mask_q == all_missing) continue;
      auto projection = [&](std::size_t c) {
        std::string key;
        for (std::size_t j = 0; j < nkey; ++j) {  // the pairs, not the bindings: clang < 16 cannot capture those
          if (group_p.first[j] || group_q.first[j]) continue;
          key.append(reinterpret_cast<const char*>(&code[c][j]), sizeof(std::int64_t));
        }
        return key;
      };
      std::unordered_map<std::string, std::pair<std::int64_t, double>> sums;
      for (std::size_t c : members_q) {
        auto& s = sums[projection(c)];
        s.first += ec.count[c];
        s.second += class_weight[c];
      }
      for (std::size_t c : members_p) {
        auto it = sums.find(projection(c));
        if (it == sums.end()) continue;
        freq[c] += it->second.first;
        wfreq[c] += it->second.second;
      }
    }
  }
  ec.frequency = std::move(freq);
  if (!weights.empty()) ec.weighted_frequency = std::move(wfreq);
}

}  // namespace

EquivalenceClasses equivalence_classes(Span<const KeyCodes> keys, std::size_t rows,
                                       Span<const double> weights, const ClassOptions& options) {
  validate(keys, rows, weights);
  validate_frequency(options.frequency, rows);
  std::size_t threads = options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  Dense dense = exact_classes(keys, rows, threads);
  EquivalenceClasses ec;
  ec.row_class = std::move(dense.ids);
  ec.count = std::move(dense.count);
  ec.first_row = std::move(dense.first_row);
  ec.frequency = ec.count;
  if (!weights.empty()) {
    ec.weighted_frequency.assign(ec.num_classes(), 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
      ec.weighted_frequency[static_cast<std::size_t>(ec.row_class[i])] += weights[i];
    }
  }
  ec.records = static_cast<std::int64_t>(rows);
  if (!options.frequency.empty()) {
    std::fill(ec.count.begin(), ec.count.end(), 0);
    for (std::size_t i = 0; i < rows; ++i) ec.count[static_cast<std::size_t>(ec.row_class[i])] += options.frequency[i];
    ec.frequency = ec.count;
    ec.records = 0;
    for (auto c : ec.count) ec.records += c;
  }
  if (options.missing == MissingPolicy::kMatchAny) match_any(keys, weights, ec);
  return ec;
}

EquivalenceClasses equivalence_classes(const Table& table,
                                       const std::vector<std::string>& quasi_identifiers,
                                       const std::string& weight, const ClassOptions& options) {
  if (quasi_identifiers.empty()) throw InvalidArgument("no quasi-identifiers given");
  detail::require_distinct(quasi_identifiers, "quasi-identifier");
  for (const std::string& name : quasi_identifiers) {
    if (name == weight) {
      throw InvalidArgument("column '" + name + "' is both a quasi-identifier and the weight");
    }
  }
  std::vector<Column> factorized;  // numeric quasi-identifiers recoded; kept alive for the views
  const std::vector<KeyCodes> keys = detail::key_views(table, quasi_identifiers, factorized);
  Span<const double> w;
  if (!weight.empty()) {
    const Column& wc = table.column(weight);
    if (wc.is_categorical()) {
      throw InvalidArgument("weight column '" + weight + "' is not numeric");
    }
    w = wc.values();
  }
  try {
    return equivalence_classes(Span<const KeyCodes>(keys), table.num_rows(), w, options);
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    if (!weight.empty() && what.rfind("weight of row", 0) == 0) {
      throw InvalidArgument("column '" + weight + "': " + what);
    }
    throw;
  }
}

std::vector<ClassSizeBin> class_size_distribution(const EquivalenceClasses& classes) {
  std::map<std::int64_t, ClassSizeBin> bins;
  for (std::size_t c = 0; c < classes.num_classes(); ++c) {
    auto& bin = bins[classes.frequency[c]];
    bin.frequency = classes.frequency[c];
    ++bin.classes;
    bin.records += classes.count[c];
  }
  std::vector<ClassSizeBin> out;
  out.reserve(bins.size());
  for (const auto& [f, bin] : bins) out.push_back(bin);
  return out;
}

}  // namespace sdcore
