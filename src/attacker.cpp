// Prosecutor, journalist and marketer risk (El Emam 2013, as ARX reports them), and the lookup
// of population class sizes in a population table.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "detail/population.hpp"
#include "sdcore/error.hpp"
#include "sdcore/risk.hpp"

namespace sdcore {

AttackerRisks attacker_risks(Span<const std::int64_t> count, Span<const std::int64_t> fk,
                             Span<const double> F, double threshold) {
  if (count.size() != fk.size() || fk.size() != F.size()) {
    throw InvalidArgument("attacker_risks: count, fk and F must have one value per class");
  }
  if (!(threshold > 0 && threshold <= 1)) {
    throw InvalidArgument("attacker threshold must lie in (0, 1]");
  }
  AttackerRisks out;
  out.threshold = threshold;
  double n = 0, prosecutor_at_risk = 0, journalist_at_risk = 0;
  double min_fk = std::numeric_limits<double>::infinity(), min_F = min_fk;
  double expected_prosecutor = 0, sum_F = 0, expected_journalist = 0;
  for (std::size_t c = 0; c < fk.size(); ++c) {
    const auto records = static_cast<double>(count[c]);
    const auto f = static_cast<double>(fk[c]);
    if (!(F[c] >= f)) {
      throw InvalidArgument("population size " + std::to_string(F[c]) + " of class " + std::to_string(c) +
                            " is smaller than its sample frequency " + std::to_string(fk[c]));
    }
    n += records;
    if (1 / f > threshold) prosecutor_at_risk += records;
    if (1 / F[c] > threshold) journalist_at_risk += records;
    min_fk = std::min(min_fk, f);
    min_F = std::min(min_F, F[c]);
    expected_prosecutor += records / f;
    expected_journalist += records / F[c];
    sum_F += F[c];
  }
  if (n == 0) return out;
  const double classes = static_cast<double>(fk.size());
  out.prosecutor = {prosecutor_at_risk / n, 1 / min_fk, expected_prosecutor / n};
  out.journalist = {journalist_at_risk / n, 1 / min_F,
                    std::max(classes / sum_F, expected_journalist / n)};
  out.marketer = expected_journalist / n;
  return out;
}

namespace detail {

namespace {
// A class's key as text, so that sample and population tables match whatever their encodings.
std::string key_text(const Table& t, const std::vector<std::string>& qi, std::size_t row) {
  std::string key;
  for (const auto& q : qi) {
    const Column& c = t.column(q);
    key += c.is_missing(row) ? std::string("\x1f") : c.format(row);
    key += '\x1e';
  }
  return key;
}
}  // namespace

std::vector<double> population_sizes(const Table& sample, const std::vector<std::string>& qi,
                                     const EquivalenceClasses& ec, const Table& population,
                                     const std::string& count_column) {
  const Column& count = population.column(count_column);
  if (count.is_categorical()) {
    throw InvalidArgument("population count column '" + count_column + "' is not numeric");
  }
  std::unordered_map<std::string, double> sizes;
  for (std::size_t i = 0; i < population.num_rows(); ++i) {
    const double v = count.values()[i];
    if (!(v >= 0) || std::isinf(v)) {
      throw InvalidArgument("population count in row " + std::to_string(i) + " is not a count");
    }
    sizes[key_text(population, qi, i)] += v;  // finer population rows add up
  }
  std::vector<double> F(ec.num_classes());
  for (std::size_t c = 0; c < ec.num_classes(); ++c) {
    const auto row = static_cast<std::size_t>(ec.first_row[c]);
    auto it = sizes.find(key_text(sample, qi, row));
    if (it == sizes.end()) {
      std::string shown;
      for (const auto& q : qi) shown += (shown.empty() ? "" : ", ") + q + "=" + sample.column(q).format(row);
      throw InvalidArgument("the population table has no class " + shown + " (sample row " +
                            std::to_string(row) + ")");
    }
    F[c] = it->second;
  }
  return F;
}

}  // namespace detail
}  // namespace sdcore
