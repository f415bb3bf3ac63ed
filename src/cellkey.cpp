// Record keys, cell keys and the perturbation of counts by the cell key method (see cellkey.hpp
// and docs/methods/cell_key.md).

#include <charconv>
#include <cmath>

#include "sdcore/cellkey.hpp"

#include "detail/record_cells.hpp"
#include "sdcore/error.hpp"

namespace sdcore {
namespace {

void check_digits(int digits) {
  if (digits < 1 || digits > 15) throw InvalidArgument("key digits must be in 1..15, got " + std::to_string(digits));
}

std::uint64_t pow10(int digits) {
  std::uint64_t m = 1;
  for (int k = 0; k < digits; ++k) m *= 10;
  return m;
}

// splitmix64 (Steele, Lea & Flood 2014): the same numbers from the same seed everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t s_;
};

// key * 10^digits from the key's shortest round-trip decimal form, or false when the key has
// more than `digits` decimals (or is not in [0, 1)).
bool to_fixed(double key, int digits, std::uint64_t& out) {
  if (!(key >= 0 && key < 1)) return false;
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, key, std::chars_format::fixed);
  const std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  const std::size_t dot = s.find('.');
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (frac.size() > static_cast<std::size_t>(digits)) return false;
  out = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(digits); ++k) {
    out = out * 10 + (k < frac.size() ? static_cast<std::uint64_t>(frac[k] - '0') : 0);
  }
  return true;
}

// The leaf node of each record in each dimension of `t`, read from the records' columns.
std::vector<bool> contributing(const Table& records, const std::string& column) {
  std::vector<bool> use(records.num_rows(), true);
  if (column.empty()) return use;
  const Column& c = records.column(column);
  if (c.is_categorical()) throw InvalidArgument("cell keys: column '" + column + "' is not numeric");
  for (std::size_t r = 0; r < use.size(); ++r) {
    if (std::isnan(c.values()[r])) {
      throw InvalidArgument("cell keys: column '" + column + "' is missing in row " + std::to_string(r + 1));
    }
    use[r] = c.values()[r] != 0;
  }
  return use;
}

void check_count(double n, std::size_t cell, const Tabulation* t) {
  if (!(n >= 0) || !std::isfinite(n) || n != std::floor(n)) {
    throw InvalidArgument("cell key method: count " + format_number(n) + (t ? " of cell " + t->label(cell) : std::string()) +
                          " is not a whole number >= 0");
  }
}

}  // namespace

std::vector<double> generate_record_keys(std::size_t n, std::uint64_t seed, int digits) {
  check_digits(digits);
  const std::uint64_t m = pow10(digits);
  const std::uint64_t limit = (~std::uint64_t{0} / m) * m;  // draws >= limit would favour small keys
  SplitMix64 rng(seed);
  std::vector<double> keys(n);
  for (double& k : keys) {
    std::uint64_t x = rng.next();
    while (x >= limit) x = rng.next();
    k = static_cast<double>(x % m) / static_cast<double>(m);
  }
  return keys;
}

std::vector<std::uint64_t> fixed_point_keys(Span<const double> keys, int digits) {
  check_digits(digits);
  std::vector<std::uint64_t> out(keys.size());
  for (std::size_t r = 0; r < keys.size(); ++r) {
    if (!to_fixed(keys[r], digits, out[r])) {
      throw InvalidArgument("record key " + (std::isnan(keys[r]) ? std::string("(missing)") : format_number(keys[r])) +
                            " in row " + std::to_string(r + 1) + " is not in [0, 1) with at most " +
                            std::to_string(digits) + " decimal digits");
    }
  }
  return out;
}

std::vector<double> cell_keys(const Tabulation& t, const Table& records, const std::string& key_column,
                              const CellKeyOptions& o) {
  check_digits(o.digits);
  const Column& kc = records.column(key_column);
  if (kc.is_categorical()) throw InvalidArgument("cell keys: record key column '" + key_column + "' is not numeric");
  const std::vector<std::uint64_t> key = fixed_point_keys(kc.values(), o.digits);
  const std::vector<bool> use = contributing(records, o.skip_zero_column);
  const detail::RecordCells cells(t, records, "cell keys");
  const std::uint64_t m = pow10(o.digits);
  std::vector<std::uint64_t> sum(t.num_cells(), 0);
  for (std::size_t r = 0; r < records.num_rows(); ++r) {
    if (!use[r]) continue;
    for (std::size_t c : cells.of(r)) sum[c] = (sum[c] + key[r]) % m;
  }
  std::vector<double> out(sum.size());
  for (std::size_t c = 0; c < sum.size(); ++c) out[c] = static_cast<double>(sum[c]) / static_cast<double>(m);
  return out;
}

double perturb_count(double count, double cell_key, const PerturbationTable& ptable) {
  check_count(count, 0, nullptr);
  if (count == 0) return 0;  // a zero cell has no records, and nothing to disclose: it stays 0
  return count + ptable.lookup(std::min(count, ptable.max_i()), cell_key);
}

CellKeyResult perturb_counts(const Tabulation& t, const std::vector<double>& keys, const PerturbationTable& ptable) {
  if (keys.size() != t.num_cells()) {
    throw InvalidArgument("cell key method: " + std::to_string(keys.size()) + " cell keys for " +
                          std::to_string(t.num_cells()) + " cells");
  }
  ptable.max_i();  // InvalidArgument without "all" rows
  for (std::size_t c = 0; c < keys.size(); ++c) {
    check_count(t.cell(c).value, c, &t);
    if (!(keys[c] >= 0 && keys[c] < 1)) {
      throw InvalidArgument("cell key " + format_number(keys[c]) + " of cell " + t.label(c) + " is not in [0, 1)");
    }
  }
  CellKeyResult r;
  for (std::size_t c = 0; c < keys.size(); ++c) {
    r.value.push_back(perturb_count(t.cell(c).value, keys[c], ptable));
    r.noise.push_back(r.value.back() - t.cell(c).value);
  }
  return r;
}

}  // namespace sdcore
