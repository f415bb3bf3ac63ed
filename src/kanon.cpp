// Public entry points of the anonymisation search (see kanon.hpp): evaluating and applying one
// transformation, and the optimal search.

#include "sdcore/kanon.hpp"

#include <algorithm>

#include "detail/kanon_problem.hpp"
#include "sdcore/error.hpp"

namespace sdcore {

const char* to_string(QualityModel model) noexcept {
  switch (model) {
    case QualityModel::kLoss: return "loss";
    case QualityModel::kDiscernibility: return "discernibility";
    case QualityModel::kNonUniformEntropy: return "entropy";
    case QualityModel::kPrecision: return "precision";
    case QualityModel::kAverageClassSize: return "aecs";
    case QualityModel::kHeight: return "height";
  }
  return "unknown";
}

QualityModel parse_quality_model(const std::string& name) {
  for (const auto m : {QualityModel::kLoss, QualityModel::kDiscernibility, QualityModel::kNonUniformEntropy,
                       QualityModel::kPrecision, QualityModel::kAverageClassSize, QualityModel::kHeight}) {
    if (name == to_string(m)) return m;
  }
  throw InvalidArgument("unknown quality model '" + name +
                        "' (expected loss, discernibility, entropy, precision, aecs or height)");
}

namespace {

using detail::Levels;

void check_levels(const detail::Problem& p, const Levels& levels) {
  if (levels.size() != p.qis.size()) {
    throw InvalidArgument("a transformation needs " + std::to_string(p.qis.size()) + " levels, got " +
                          std::to_string(levels.size()));
  }
  for (std::size_t q = 0; q < levels.size(); ++q) {
    if (levels[q] > p.qis[q].height) {
      throw InvalidArgument("level " + std::to_string(levels[q]) + " of '" + p.qis[q].column +
                            "' is above its hierarchy's top level " + std::to_string(p.qis[q].height));
    }
  }
}

// One cell per record (then the population's records with count 0), judged and assessed.
struct RowJudgement {
  detail::Cells cells;
  detail::ClassVerdict verdict;
  TransformationQuality quality;
};

RowJudgement judge_rows(const detail::Problem& p, const Levels& levels) {
  RowJudgement j;
  const std::size_t pop_rows = p.population_value.empty() ? 0 : p.population_value[0].size();
  for (std::size_t q = 0; q < p.qis.size(); ++q) {
    const auto& up = p.qis[q].up[levels[q]];
    std::vector<std::int32_t> col(p.rows + pop_rows);
    for (std::size_t r = 0; r < p.rows; ++r) col[r] = up[static_cast<std::size_t>(p.qis[q].row_value[r])];
    for (std::size_t r = 0; r < pop_rows; ++r) col[p.rows + r] = up[static_cast<std::size_t>(p.population_value[q][r])];
    j.cells.qi.push_back(std::move(col));
  }
  for (const auto& s : p.sensitive) {
    j.cells.sens.push_back(s.row_code);
    j.cells.sens.back().resize(p.rows + pop_rows, -1);
  }
  j.cells.count.assign(p.rows + pop_rows, 0);
  std::copy(p.row_count.begin(), p.row_count.end(), j.cells.count.begin());
  if (pop_rows) {
    j.cells.pop.assign(p.rows + pop_rows, 0);
    std::fill(j.cells.pop.begin() + static_cast<std::ptrdiff_t>(p.rows), j.cells.pop.end(), 1);
  }
  j.verdict = detail::judge_classes(p, j.cells, false);
  detail::assess(p, levels, j.cells, j.verdict, j.quality);
  return j;
}

Column select_rows(const Column& c, const std::vector<std::uint8_t>& drop) {
  if (c.is_categorical()) {
    std::vector<std::int32_t> codes;
    const auto src = c.codes();
    for (std::size_t r = 0; r < src.size(); ++r) {
      if (!drop[r]) codes.push_back(src[r]);
    }
    return Column::categorical(c.name(), std::move(codes), c.categories());
  }
  std::vector<double> values;
  const auto src = c.values();
  for (std::size_t r = 0; r < src.size(); ++r) {
    if (!drop[r]) values.push_back(src[r]);
  }
  return Column::numeric(c.name(), std::move(values));
}

// The generalised column: categories are the labels that occur, in hierarchy order.
Column generalised_column(const detail::EncodedQi& q, std::size_t level, const std::vector<std::uint8_t>& suppressed,
                          const AnonymiseOptions& opt) {
  const auto& up = q.up[level];
  std::vector<std::int32_t> code_of(q.text[level].size(), -2);
  for (std::size_t r = 0; r < q.row_value.size(); ++r) {
    if (!suppressed[r]) code_of[static_cast<std::size_t>(up[static_cast<std::size_t>(q.row_value[r])])] = 0;
  }
  std::vector<std::string> categories;
  for (std::size_t label = 0; label < code_of.size(); ++label) {
    const bool missing_label = q.has_missing && label + 1 == code_of.size();
    if (code_of[label] == -2) continue;
    if (missing_label) {
      code_of[label] = kMissingCode;
      continue;
    }
    code_of[label] = static_cast<std::int32_t>(categories.size());
    categories.push_back(q.text[level][label]);
  }
  std::int32_t star = kMissingCode;
  if (opt.suppressed_output == SuppressedOutput::kStar) {
    const auto it = std::find(categories.begin(), categories.end(), opt.suppressed_label);
    star = static_cast<std::int32_t>(it - categories.begin());
    if (it == categories.end()) categories.push_back(opt.suppressed_label);
  }
  std::vector<std::int32_t> codes(q.row_value.size());
  for (std::size_t r = 0; r < codes.size(); ++r) {
    codes[r] = suppressed[r] ? star : code_of[static_cast<std::size_t>(up[static_cast<std::size_t>(q.row_value[r])])];
  }
  return Column::categorical(q.column, std::move(codes), std::move(categories));
}

Table build_output(const Table& in, const detail::Problem& p, const Levels& levels,
                   const std::vector<std::uint8_t>& suppressed, const AnonymiseOptions& opt) {
  Table out;
  const bool drop = opt.suppressed_output == SuppressedOutput::kDrop;
  for (const Column& c : in.columns()) {
    const auto q = std::find_if(p.qis.begin(), p.qis.end(), [&](const auto& e) { return e.column == c.name(); });
    Column col = q == p.qis.end() ? c : generalised_column(*q, levels[static_cast<std::size_t>(q - p.qis.begin())], suppressed, opt);
    out.add_column(drop ? select_rows(col, suppressed) : std::move(col));
  }
  return out;
}

}  // namespace

TransformationQuality evaluate_transformation(const Table& table, const std::vector<QuasiIdentifier>& quasi_identifiers,
                                              const AnonymiseOptions& options, const std::vector<std::size_t>& levels) {
  const detail::Problem p = detail::encode_problem(table, quasi_identifiers, options);
  check_levels(p, levels);
  return judge_rows(p, levels).quality;
}

namespace {

AnonymiseResult apply(const Table& table, const detail::Problem& p, const AnonymiseOptions& options, const Levels& levels) {
  check_levels(p, levels);
  RowJudgement j = judge_rows(p, levels);
  AnonymiseResult r;
  r.found = true;
  r.suppressed.resize(p.rows);
  for (std::size_t row = 0; row < p.rows; ++row) {
    r.suppressed[row] = j.verdict.outlier[static_cast<std::size_t>(j.verdict.cell_class[row])];
  }
  r.table = build_output(table, p, levels, r.suppressed, options);
  r.best = std::move(j.quality);
  return r;
}

}  // namespace

AnonymiseResult apply_transformation(const Table& table, const std::vector<QuasiIdentifier>& quasi_identifiers,
                                     const AnonymiseOptions& options, const std::vector<std::size_t>& levels) {
  const detail::Problem p = detail::encode_problem(table, quasi_identifiers, options);
  return apply(table, p, options, levels);
}

AnonymiseResult anonymise(const Table& table, const std::vector<QuasiIdentifier>& quasi_identifiers,
                          const AnonymiseOptions& options) {
  const detail::Problem p = detail::encode_problem(table, quasi_identifiers, options);
  const detail::SearchOutcome s = detail::search_lattice(p, options.threads, options.progress, options.max_lattice_size);
  AnonymiseResult r;
  if (s.found) r = apply(table, p, options, s.best.levels);
  r.lattice_size = s.lattice_size;
  r.nodes_evaluated = s.evaluated;
  return r;
}

}  // namespace sdcore
