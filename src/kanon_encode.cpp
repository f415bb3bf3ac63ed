// Validation and encoding of an anonymisation problem, and the cells it is searched on
// (see detail/kanon_problem.hpp).

#include <algorithm>
#include <cmath>
#include <exception>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include "detail/kanon_problem.hpp"
#include "detail/keys.hpp"
#include "detail/threads.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"

namespace sdcore::detail {
namespace {

std::string quoted_list(const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "'" : ", '") + v + "'";
  return list;
}

// Value index of every record of `column` under `h`; missing -> h.num_values().
std::vector<std::int32_t> value_indices(const Column& column, const Hierarchy& h, const std::string& what) {
  h.require_covers(column, what);
  const Column source = factorize(column);
  std::vector<std::int32_t> lookup;
  for (const auto& cat : source.categories()) lookup.push_back(static_cast<std::int32_t>(*h.find(cat)));
  std::vector<std::int32_t> out(source.size());
  const auto codes = source.codes();
  const auto missing = static_cast<std::int32_t>(h.num_values());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = codes[i] < 0 ? missing : lookup[static_cast<std::size_t>(codes[i])];
  return out;
}

// Label ids, representatives, texts and leaf counts of every level.
void build_levels(EncodedQi& q, const Hierarchy& h) {
  const std::size_t values = q.domain + (q.has_missing ? 1 : 0);
  q.up.assign(h.levels(), std::vector<std::int32_t>(values));
  q.rep.assign(h.levels(), {});
  q.leaves.assign(h.levels(), {});
  q.text.assign(h.levels(), {});
  for (std::size_t l = 0; l < h.levels(); ++l) {
    std::unordered_map<std::string, std::int32_t> ids;
    for (std::size_t v = 0; v < q.domain; ++v) {
      const std::string& label = h.label(v, l);
      auto [it, fresh] = ids.emplace(label, static_cast<std::int32_t>(q.rep[l].size()));
      if (fresh) {
        q.rep[l].push_back(static_cast<std::int32_t>(v));
        q.text[l].push_back(label);
        q.leaves[l].push_back(0);
      }
      q.up[l][v] = it->second;
      ++q.leaves[l][static_cast<std::size_t>(it->second)];
    }
    if (q.has_missing) {  // missing stays itself: one unit of the domain, never merged
      q.up[l][q.domain] = static_cast<std::int32_t>(q.rep[l].size());
      q.rep[l].push_back(static_cast<std::int32_t>(q.domain));
      q.text[l].emplace_back();
      q.leaves[l].push_back(1);
    }
  }
}

// Per level: sum of leaves over records (Loss) and non-uniform entropy (Gionis & Tassa).
void build_column_totals(EncodedQi& q, const std::vector<std::int64_t>& row_count) {
  const std::size_t levels = q.up.size();
  std::vector<std::int64_t> freq0(q.up[0].size(), 0);
  for (std::size_t r = 0; r < q.row_value.size(); ++r) freq0[static_cast<std::size_t>(q.row_value[r])] += row_count[r];
  q.leaf_total.assign(levels, 0);
  q.entropy.assign(levels, 0);
  for (std::size_t l = 0; l < levels; ++l) {
    std::vector<std::int64_t> freq(q.rep[l].size(), 0);
    for (std::size_t v = 0; v < freq0.size(); ++v) freq[static_cast<std::size_t>(q.up[l][v])] += freq0[v];
    for (std::size_t v = 0; v < freq0.size(); ++v) {
      if (freq0[v] == 0) continue;
      const auto label = static_cast<std::size_t>(q.up[l][v]);
      q.leaf_total[l] += freq0[v] * q.leaves[l][label];
      q.entropy[l] += static_cast<double>(freq0[v]) * std::log2(static_cast<double>(freq[label]) / static_cast<double>(freq0[v]));
    }
  }
}

EncodedQi encode_qi(const Table& table, const QuasiIdentifier& qi, const Table* population,
                    const std::vector<std::int64_t>& row_count) {
  EncodedQi q;
  q.column = qi.column;
  const Hierarchy& h = qi.hierarchy;
  if (h.levels() == 0) throw InvalidArgument("hierarchy of '" + qi.column + "' is empty");
  q.domain = h.num_values();
  q.height = h.levels() - 1;
  q.min_level = qi.min_level;
  q.max_level = std::min(qi.max_level, q.height);
  if (q.min_level > q.max_level) {
    throw InvalidArgument("quasi-identifier '" + qi.column + "': min_level " + std::to_string(qi.min_level) +
                          " is above max_level " + std::to_string(q.max_level) + " (hierarchy has " +
                          std::to_string(h.levels()) + " levels)");
  }
  q.row_value = value_indices(table.column(qi.column), h, "column '" + qi.column + "'");
  const auto missing = static_cast<std::int32_t>(q.domain);
  q.has_missing = std::find(q.row_value.begin(), q.row_value.end(), missing) != q.row_value.end();
  if (population) {
    const auto pv = value_indices(population->column(qi.column), h, "population column '" + qi.column + "'");
    q.has_missing = q.has_missing || std::find(pv.begin(), pv.end(), missing) != pv.end();
  }
  build_levels(q, h);
  build_column_totals(q, row_count);
  return q;
}

EncodedSensitive& sensitive_entry(Problem& p, const Table& table, const std::string& column,
                                  const std::set<std::string>& qi_names) {
  for (auto& s : p.sensitive) {
    if (s.column == column) return s;
  }
  if (qi_names.count(column)) {
    throw InvalidArgument("column '" + column + "' is both a quasi-identifier and a sensitive attribute");
  }
  const Column source = factorize(table.column(column));
  EncodedSensitive s;
  s.column = column;
  s.cardinality = static_cast<std::int32_t>(source.categories().size());
  const auto codes = source.codes();
  const bool has_missing = std::any_of(codes.begin(), codes.end(), [](std::int32_t c) { return c < 0; });
  s.row_code.resize(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) s.row_code[i] = codes[i] < 0 ? s.cardinality : codes[i];
  if (has_missing) ++s.cardinality;
  s.global.assign(static_cast<std::size_t>(s.cardinality), 0.0);
  for (std::size_t i = 0; i < s.row_code.size(); ++i) {
    s.global[static_cast<std::size_t>(s.row_code[i])] += static_cast<double>(p.row_count[i]);
  }
  for (auto& g : s.global) g /= static_cast<double>(p.records);
  s.rank.resize(static_cast<std::size_t>(s.cardinality));
  for (std::int32_t c = 0; c < s.cardinality; ++c) s.rank[static_cast<std::size_t>(c)] = c;
  p.sensitive.push_back(std::move(s));
  return p.sensitive.back();
}

std::int32_t distinct_values(const EncodedSensitive& s) {
  return static_cast<std::int32_t>(std::count_if(s.global.begin(), s.global.end(), [](double g) { return g > 0; }));
}

void add_l_diversity(Problem& p, const Table& table, const LDiversity& m, const std::set<std::string>& qi_names) {
  if (!(m.l >= 1)) throw InvalidArgument("l-diversity of '" + m.sensitive + "': l must be at least 1");
  if (m.kind == DiversityKind::kRecursive && !(m.c > 0)) {
    throw InvalidArgument("recursive (c,l)-diversity of '" + m.sensitive + "': c must be positive");
  }
  EncodedSensitive& s = sensitive_entry(p, table, m.sensitive, qi_names);
  if (m.l > distinct_values(s)) {
    throw InvalidArgument("l-diversity of '" + m.sensitive + "': l = " + format_number(m.l) + " but the column has only " +
                          std::to_string(distinct_values(s)) + " distinct values, so no class can satisfy it");
  }
  s.l_diversity.push_back(m);
}

// Tree of the sensitive values for the hierarchical ground distance: one level per hierarchy level,
// plus a root level when the hierarchy's top is not a single label or missing values need a home.
void build_tree(EncodedSensitive& s, const Table& table, const Hierarchy& h) {
  const Column source = factorize(table.column(s.column));
  if (const auto bad = h.uncovered(source); !bad.empty()) {
    throw InvalidArgument("t-closeness hierarchy of '" + s.column + "' does not cover value(s): " + quoted_list(bad));
  }
  const auto known = static_cast<std::int32_t>(source.categories().size());
  s.tree.clear();
  s.tree_labels.clear();
  for (std::size_t l = 0; l < h.levels(); ++l) {
    std::unordered_map<std::string, std::int32_t> ids;
    std::vector<std::int32_t> level(static_cast<std::size_t>(s.cardinality));
    for (std::int32_t c = 0; c < known; ++c) {
      const std::string& label = h.generalise(source.categories()[static_cast<std::size_t>(c)], l);
      level[static_cast<std::size_t>(c)] = ids.emplace(label, static_cast<std::int32_t>(ids.size())).first->second;
    }
    if (known < s.cardinality) level[static_cast<std::size_t>(known)] = static_cast<std::int32_t>(ids.size());
    s.tree_labels.push_back(static_cast<std::int32_t>(ids.size()) + (known < s.cardinality ? 1 : 0));
    s.tree.push_back(std::move(level));
  }
  if (s.tree_labels.back() > 1) {
    s.tree.emplace_back(static_cast<std::size_t>(s.cardinality), 0);
    s.tree_labels.push_back(1);
  }
}

void add_t_closeness(Problem& p, const Table& table, const TCloseness& m, const std::set<std::string>& qi_names) {
  if (!(m.t >= 0 && m.t <= 1)) throw InvalidArgument("t-closeness of '" + m.sensitive + "': t must be in [0, 1]");
  EncodedSensitive& s = sensitive_entry(p, table, m.sensitive, qi_names);
  if (m.distance == GroundDistance::kHierarchical) {
    if (!m.hierarchy) {
      throw InvalidArgument("t-closeness of '" + m.sensitive + "' with the hierarchical distance needs a hierarchy");
    }
    build_tree(s, table, *m.hierarchy);
  }
  s.t_closeness.push_back(m);
}

void set_quality(Problem& p, const AnonymiseOptions& opt) {
  if (!(opt.gs_factor >= 0 && opt.gs_factor <= 1)) throw InvalidArgument("gs_factor must be in [0, 1]");
  p.quality = opt.quality;
  p.s_factor = opt.gs_factor < 0.5 ? 2 * opt.gs_factor : 1.0;
  p.g_factor = opt.gs_factor <= 0.5 ? 1.0 : 1.0 - 2 * (opt.gs_factor - 0.5);
  p.aggregate = opt.aggregate;
  if (p.aggregate == Aggregate::kDefault) {
    p.aggregate = opt.quality == QualityModel::kLoss        ? Aggregate::kGeometricMean
                  : opt.quality == QualityModel::kPrecision ? Aggregate::kArithmeticMean
                                                            : Aggregate::kSum;
  }
}

void check_models(std::int64_t rows, const AnonymiseOptions& opt) {
  const PrivacyModels& m = opt.models;
  if (rows == 0) throw InvalidArgument("the table has no records");
  if (m.k < 1) throw InvalidArgument("k must be at least 1, got " + std::to_string(m.k));
  if (m.k > rows) {
    throw InvalidArgument("k = " + std::to_string(m.k) + " is larger than the table (" + std::to_string(rows) +
                          " records)");
  }
  if (!(opt.suppression_limit >= 0 && opt.suppression_limit <= 1)) {
    throw InvalidArgument("suppression limit must be in [0, 1], got " + format_number(opt.suppression_limit));
  }
  if (!(m.max_risk > 0 && m.max_risk <= 1)) throw InvalidArgument("max_risk must be in (0, 1]");
  if (!(m.average_risk > 0 && m.average_risk <= 1)) throw InvalidArgument("average_risk must be in (0, 1]");
  if (m.k_map < 0) throw InvalidArgument("k_map must not be negative");
  if (m.k_map > 0 && m.population == nullptr) throw InvalidArgument("k-map needs a population table");
  if (m.k_map > 0 && m.k_map > static_cast<std::int64_t>(m.population->num_rows())) {
    throw InvalidArgument("k_map = " + std::to_string(m.k_map) + " is larger than the population table (" +
                          std::to_string(m.population->num_rows()) + " records)");
  }
}

}  // namespace

Problem encode_problem(const Table& table, const std::vector<QuasiIdentifier>& qis, const AnonymiseOptions& opt) {
  Problem p;
  p.rows = table.num_rows();
  // Records per row: 1 each, or the frequency column's counts (aggregated input).
  p.row_count = opt.frequency.empty() ? std::vector<std::int64_t>(table.num_rows(), 1)
                                      : record_counts(table, opt.frequency);
  for (auto c : p.row_count) p.records += c;
  check_models(p.records, opt);
  if (qis.empty()) throw InvalidArgument("no quasi-identifiers given");
  const Table* population = opt.models.k_map > 0 ? opt.models.population : nullptr;
  std::set<std::string> names;
  for (const auto& qi : qis) {
    if (!names.insert(qi.column).second) throw InvalidArgument("quasi-identifier '" + qi.column + "' given twice");
    if (qi.column == opt.frequency) {
      throw InvalidArgument("column '" + qi.column + "' is both a quasi-identifier and the frequency");
    }
    p.qis.push_back(encode_qi(table, qi, population, p.row_count));
  }
  for (const auto& m : opt.models.l_diversity) add_l_diversity(p, table, m, names);
  for (const auto& m : opt.models.t_closeness) add_t_closeness(p, table, m, names);
  if (population) {
    for (std::size_t q = 0; q < qis.size(); ++q) {
      auto pv = value_indices(population->column(qis[q].column), qis[q].hierarchy, "population column");
      p.population_value.push_back(std::move(pv));
    }
  }
  p.k = std::max<std::int64_t>(opt.models.k, static_cast<std::int64_t>(std::ceil(1.0 / opt.models.max_risk - 1e-9)));
  if (p.k > p.records) {
    throw InvalidArgument("max_risk " + format_number(opt.models.max_risk) + " needs classes of " + std::to_string(p.k) +
                          " records, more than the table has");
  }
  p.k_map = opt.models.k_map;
  p.average_risk = opt.models.average_risk;
  p.max_suppressed = static_cast<std::int64_t>(std::floor(opt.suppression_limit * static_cast<double>(p.records) + 1e-9));
  set_quality(p, opt);
  return p;
}

namespace {

using Codes = std::vector<const std::vector<std::int32_t>*>;

// Groups `n` keyed items and builds cells: codes from each class's first item, counts summed.
Cells group_part(const Codes& qi, const std::vector<std::int32_t>& qi_card, const Codes& sens,
                 const std::vector<std::int32_t>& sens_card, const std::vector<std::int64_t>& count,
                 const std::vector<std::int64_t>& pop) {
  const std::size_t n = count.size();
  std::vector<KeyCodes> keys;
  for (std::size_t q = 0; q < qi.size(); ++q) keys.push_back(KeyCodes{qi[q]->data(), 4, qi_card[q]});
  for (std::size_t s = 0; s < sens.size(); ++s) keys.push_back(KeyCodes{sens[s]->data(), 4, sens_card[s]});
  const EquivalenceClasses ec = equivalence_classes(Span<const KeyCodes>(keys.data(), keys.size()), n, {});
  Cells out;
  const std::size_t m = ec.num_classes();
  out.qi.assign(qi.size(), std::vector<std::int32_t>(m));
  out.sens.assign(sens.size(), std::vector<std::int32_t>(m));
  for (std::size_t c = 0; c < m; ++c) {
    const auto r = static_cast<std::size_t>(ec.first_row[c]);
    for (std::size_t q = 0; q < qi.size(); ++q) out.qi[q][c] = (*qi[q])[r];
    for (std::size_t s = 0; s < sens.size(); ++s) out.sens[s][c] = (*sens[s])[r];
  }
  out.count.assign(m, 0);
  if (!pop.empty()) out.pop.assign(m, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(ec.row_class[i]);
    out.count[c] += count[i];
    if (!pop.empty()) out.pop[c] += pop[i];
  }
  return out;
}

// Inputs of this many items or more are split in two by a hash of their key (equal keys meet in
// one half), and the halves grouped on two threads when allowed. The split does not depend on
// the threads, so neither do the cells nor anything computed from them.
constexpr std::size_t kSplitItems = std::size_t{1} << 18;

struct Half {
  std::vector<std::vector<std::int32_t>> qi, sens;
  std::vector<std::int64_t> count, pop;
};

Cells group_cells(const Codes& qi, const std::vector<std::int32_t>& qi_card, const Codes& sens,
                  const std::vector<std::int32_t>& sens_card, const std::vector<std::int64_t>& count,
                  const std::vector<std::int64_t>& pop, std::size_t threads) {
  const std::size_t n = count.size();
  if (n < kSplitItems) return group_part(qi, qi_card, sens, sens_card, count, pop);
  std::vector<std::uint64_t> hash(n, 0);
  for (const Codes* columns : {&qi, &sens}) {
    for (const auto* col : *columns) {
      for (std::size_t i = 0; i < n; ++i) {
        hash[i] = (hash[i] + static_cast<std::uint32_t>((*col)[i])) * 0x9E3779B97F4A7C15ULL;
      }
    }
  }
  Half half[2];
  const auto gather = [&](const std::vector<std::int32_t>& from, std::vector<std::int32_t>* to) {
    to[0].reserve(n / 2 + n / 16);
    to[1].reserve(n / 2 + n / 16);
    for (std::size_t i = 0; i < n; ++i) to[hash[i] >> 63].push_back(from[i]);
  };
  for (Half& h : half) h.qi.resize(qi.size()), h.sens.resize(sens.size());
  for (std::size_t q = 0; q < qi.size(); ++q) {
    std::vector<std::int32_t> to[2];
    gather(*qi[q], to);
    half[0].qi[q] = std::move(to[0]), half[1].qi[q] = std::move(to[1]);
  }
  for (std::size_t s = 0; s < sens.size(); ++s) {
    std::vector<std::int32_t> to[2];
    gather(*sens[s], to);
    half[0].sens[s] = std::move(to[0]), half[1].sens[s] = std::move(to[1]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    Half& h = half[hash[i] >> 63];
    h.count.push_back(count[i]);
    if (!pop.empty()) h.pop.push_back(pop[i]);
  }
  hash = {};
  Cells out[2];
  const auto run = [&](std::size_t k) {
    Codes q, s;
    for (const auto& c : half[k].qi) q.push_back(&c);
    for (const auto& c : half[k].sens) s.push_back(&c);
    out[k] = group_part(q, qi_card, s, sens_card, half[k].count, half[k].pop);
  };
  std::exception_ptr error;
  std::vector<std::thread> other;
  if (threads > 1 && try_start(other, [&] {
        try {
          run(1);
        } catch (...) {
          error = std::current_exception();
        }
      })) {
    try {
      run(0);
    } catch (...) {
      other[0].join();
      throw;
    }
    other[0].join();
    if (error) std::rethrow_exception(error);
  } else {
    run(0);
    run(1);
  }
  for (std::size_t q = 0; q < qi.size(); ++q) out[0].qi[q].insert(out[0].qi[q].end(), out[1].qi[q].begin(), out[1].qi[q].end());
  for (std::size_t s = 0; s < sens.size(); ++s) {
    out[0].sens[s].insert(out[0].sens[s].end(), out[1].sens[s].begin(), out[1].sens[s].end());
  }
  out[0].count.insert(out[0].count.end(), out[1].count.begin(), out[1].count.end());
  out[0].pop.insert(out[0].pop.end(), out[1].pop.begin(), out[1].pop.end());
  return std::move(out[0]);
}

}  // namespace

Cells base_cells(const Problem& p, std::size_t threads) {
  const std::size_t pop_rows = p.population_value.empty() ? 0 : p.population_value[0].size();
  const std::size_t n = p.rows + pop_rows;
  std::vector<std::vector<std::int32_t>> qi(p.qis.size());
  std::vector<std::int32_t> card;
  for (std::size_t q = 0; q < p.qis.size(); ++q) {
    qi[q].reserve(n);
    qi[q] = p.qis[q].row_value;
    if (pop_rows) qi[q].insert(qi[q].end(), p.population_value[q].begin(), p.population_value[q].end());
    card.push_back(p.qis[q].labels(0));
  }
  // Population records carry no sensitive value: code -1, a value of its own for grouping.
  std::vector<std::vector<std::int32_t>> sens_codes(p.sensitive.size());
  std::vector<const std::vector<std::int32_t>*> sens;
  std::vector<std::int32_t> sens_card;
  for (std::size_t s = 0; s < p.sensitive.size(); ++s) {
    sens_codes[s] = p.sensitive[s].row_code;
    sens_codes[s].resize(n, -1);
    sens.push_back(&sens_codes[s]);
    sens_card.push_back(p.sensitive[s].cardinality);
  }
  std::vector<std::int64_t> count(n, 0);
  std::copy(p.row_count.begin(), p.row_count.end(), count.begin());
  std::vector<std::int64_t> pop;
  if (pop_rows) {
    pop.assign(n, 0);
    std::fill(pop.begin() + static_cast<std::ptrdiff_t>(p.rows), pop.end(), 1);
  }
  std::vector<const std::vector<std::int32_t>*> qi_ptr;
  for (const auto& col : qi) qi_ptr.push_back(&col);
  return group_cells(qi_ptr, card, sens, sens_card, count, pop, threads);
}

Cells roll_up(const Problem& p, const Cells& cells, const Levels& from, const Levels& to, std::size_t threads) {
  std::vector<std::vector<std::int32_t>> lifted(p.qis.size());
  std::vector<const std::vector<std::int32_t>*> qi;
  std::vector<std::int32_t> card;
  for (std::size_t q = 0; q < p.qis.size(); ++q) {
    const EncodedQi& e = p.qis[q];
    if (from[q] == to[q]) {
      qi.push_back(&cells.qi[q]);
    } else {
      lifted[q].resize(cells.size());
      for (std::size_t c = 0; c < cells.size(); ++c) lifted[q][c] = e.lift(cells.qi[q][c], from[q], to[q]);
      qi.push_back(&lifted[q]);
    }
    card.push_back(e.labels(to[q]));
  }
  std::vector<const std::vector<std::int32_t>*> sens;
  std::vector<std::int32_t> sens_card;
  for (std::size_t s = 0; s < p.sensitive.size(); ++s) {
    sens.push_back(&cells.sens[s]);
    sens_card.push_back(p.sensitive[s].cardinality);
  }
  return group_cells(qi, card, sens, sens_card, cells.count, cells.pop, threads);
}

}  // namespace sdcore::detail
