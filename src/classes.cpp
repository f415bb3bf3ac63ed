// Equivalence classes by packed integer keys.
//
// Each quasi-identifier contributes a digit (code + 1, so missing is 0) in a mixed-radix number.
// As many columns as fit in 64 bits are packed per pass; the packed keys are then mapped to
// dense ids (a direct table when the key space is small, a hash index otherwise), and the dense
// id becomes the leading digit of the next pass. Keys are therefore exact — no hash collision
// can merge two classes — for any number of columns, with no per-row allocation.

#include "sdcore/classes.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>

#include "detail/key_index.hpp"
#include "detail/keys.hpp"
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
      const double w = weights[i];
      if (!(w > 0) || !std::isfinite(w)) {
        const std::string what = std::isnan(w) ? "missing" : std::isinf(w) ? "infinite"
                                 : w == 0      ? "zero" : "negative";
        throw InvalidArgument("weight of row " + std::to_string(i) + " is " + what +
                              "; sampling weights must be positive and finite");
      }
    }
  }
}

// keys[i] (+)= (code_i + 1) * stride. Returns the first row whose code is outside
// [-1, cardinality), or kNoRow.
template <class T>
std::size_t add_digit(const T* codes, std::size_t rows, std::int64_t cardinality,
                      std::uint64_t stride, std::uint64_t* keys, bool first) {
  const auto limit = static_cast<std::uint64_t>(cardinality);
  bool bad = false;
  if (first) {
    for (std::size_t i = 0; i < rows; ++i) {
      const auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(codes[i]) + 1);
      bad |= u > limit;
      keys[i] = u * stride;
    }
  } else {
    for (std::size_t i = 0; i < rows; ++i) {
      const auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(codes[i]) + 1);
      bad |= u > limit;
      keys[i] += u * stride;
    }
  }
  if (!bad) return kNoRow;
  for (std::size_t i = 0; i < rows; ++i) {
    const auto u = static_cast<std::uint64_t>(static_cast<std::int64_t>(codes[i]) + 1);
    if (u > limit) return i;
  }
  return kNoRow;
}

struct Dense {
  std::vector<std::int32_t> ids;
  std::vector<std::int64_t> count;
  std::vector<std::int64_t> first_row;
};

// Maps keys in [0, space) to dense ids in order of first appearance.
void densify(const std::vector<std::uint64_t>& keys, std::uint64_t space, Dense& out) {
  const std::size_t rows = keys.size();
  out.ids.resize(rows);
  out.count.clear();
  out.first_row.clear();
  auto record = [&](std::size_t i, std::int32_t id, bool is_new) {
    if (is_new) {
      out.first_row.push_back(static_cast<std::int64_t>(i));
      out.count.push_back(0);
    }
    ++out.count[static_cast<std::size_t>(id)];
    out.ids[i] = id;
  };
  if (space <= kDirectTableMax && space <= 2 * static_cast<std::uint64_t>(rows) + 4096) {
    std::vector<std::int32_t> table(static_cast<std::size_t>(space), -1);
    std::int32_t next = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      std::int32_t& slot = table[static_cast<std::size_t>(keys[i])];
      const bool is_new = slot < 0;
      if (is_new) slot = next++;
      record(i, slot, is_new);
    }
    return;
  }
  detail::KeyIndex index(rows < 4096 ? rows : 4096);
  constexpr std::size_t kAhead = 16;
  for (std::size_t i = 0; i < rows; ++i) {
    if (i + kAhead < rows) index.prefetch(keys[i + kAhead]);
    bool is_new = false;
    const std::int32_t id = index.insert(keys[i], is_new);
    record(i, id, is_new);
  }
}

// Packs and densifies all key columns; returns the dense classes of the exact key patterns.
Dense exact_classes(Span<const KeyCodes> keys, std::size_t rows) {
  Dense dense;
  std::vector<std::uint64_t> packed(rows);
  std::size_t j = 0;
  bool have_ids = false;
  while (j < keys.size()) {
    std::uint64_t stride = 1;
    if (have_ids) {
      for (std::size_t i = 0; i < rows; ++i) packed[i] = static_cast<std::uint64_t>(dense.ids[i]);
      stride = dense.count.size();
    }
    bool first = !have_ids;
    while (j < keys.size()) {
      const auto radix = static_cast<std::uint64_t>(keys[j].cardinality) + 1;
      std::uint64_t next_stride = 0;
      if (!first && __builtin_mul_overflow(stride, radix, &next_stride)) break;
      if (first) next_stride = radix;
      const KeyCodes& k = keys[j];
      const std::size_t bad = with_code_type(k.width, [&](auto t) {
        return add_digit(static_cast<const decltype(t)*>(k.data), rows, k.cardinality, stride,
                         packed.data(), first);
      });
      if (bad != kNoRow) {
        throw InvalidArgument("key " + std::to_string(j) + " row " + std::to_string(bad) +
                              ": code " + std::to_string(code_at(k, bad)) + " outside [-1, " +
                              std::to_string(k.cardinality) + ")");
      }
      stride = next_stride;
      first = false;
      ++j;
    }
    densify(packed, stride, dense);
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
  for (const auto& [mask_p, members_p] : groups) {
    for (const auto& [mask_q, members_q] : groups) {
      // sdcMicro's freqCalc does not let a record whose keys are all missing count towards a
      // record with a complete key (though the all-missing record itself matches everyone).
      if (mask_p == complete && mask_q == all_missing) continue;
      auto projection = [&](std::size_t c) {
        std::string key;
        for (std::size_t j = 0; j < nkey; ++j) {
          if (mask_p[j] || mask_q[j]) continue;
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
  Dense dense = exact_classes(keys, rows);
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
  if (options.missing == MissingPolicy::kMatchAny) match_any(keys, weights, ec);
  return ec;
}

EquivalenceClasses equivalence_classes(const Table& table,
                                       const std::vector<std::string>& quasi_identifiers,
                                       const std::string& weight, const ClassOptions& options) {
  if (quasi_identifiers.empty()) throw InvalidArgument("no quasi-identifiers given");
  for (std::size_t j = 0; j < quasi_identifiers.size(); ++j) {
    const std::string& name = quasi_identifiers[j];
    for (std::size_t i = 0; i < j; ++i) {
      if (quasi_identifiers[i] == name) {
        throw InvalidArgument("quasi-identifier '" + name + "' is listed twice");
      }
    }
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
