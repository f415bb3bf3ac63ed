// MDAV microaggregation (see microaggregation.hpp and docs/methods/microaggregation.md).
//
// The records taking part are copied once into an m x p matrix. A group is taken out by swapping
// its rows to the end of the active block, so the remaining records always form the top rows and
// every pass (centroid, squared distances to a point) is a vectorised Eigen expression over a
// contiguous block; nothing is allocated inside the loop. Each row carries its index among the
// records taking part, which is ascending in the input row, so ties between equal distances go
// to the lower row however the rows were shuffled.
//
// The matrix is column-major: squared distances are then accumulated one variable at a time
// over blocks of rows, SIMD across records, and in a fixed order of the variables (the order a
// plain loop sums them in). Row-major storage vectorises only within a record, which for the
// typical 2-13 variables is a lane or two: measured on the benchmark machine, the distance pass
// took 1.6-9.6 ns per record row-major and 0.5-5.8 ns column-major for p = 2..13.

#include "sdcore/microaggregation.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_set>

#include "sdcore/error.hpp"

namespace sdcore {
namespace {

using Matrix = Eigen::MatrixXd;  // column-major, see above

// Rows per block of the distance pass: the block's distances stay in L1 while each variable is
// added in.
constexpr Eigen::Index kBlock = 256;

constexpr std::size_t kGone = std::numeric_limits<std::size_t>::max();

// The named columns and the rows taking part (ascending), checked before any work.
struct Prepared {
  std::vector<Span<const double>> values;
  std::vector<std::uint32_t> rows;
  std::vector<std::int64_t> excluded;
};

void check_columns(const Table& table, const std::vector<std::string>& columns, Prepared& out) {
  if (columns.empty()) throw InvalidArgument("no columns to microaggregate");
  std::unordered_set<std::string> seen;
  for (const std::string& name : columns) {
    if (!seen.insert(name).second) {
      throw InvalidArgument("column '" + name + "' is named twice");
    }
    const Column& c = table.column(name);  // InvalidArgument for an unknown name
    if (c.is_categorical()) {
      throw InvalidArgument("column '" + name +
                            "' is categorical; MDAV microaggregates numeric columns only");
    }
    out.values.push_back(c.values());
  }
}

Prepared prepare(const Table& table, const std::vector<std::string>& columns, std::int64_t k,
                 const MdavOptions& options) {
  if (k < 2) {
    throw InvalidArgument("k must be at least 2 for microaggregation, got " + std::to_string(k));
  }
  Prepared in;
  check_columns(table, columns, in);
  const std::size_t n = table.num_rows();
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw InvalidArgument("too many rows for MDAV (at most 2^32-1)");
  }
  in.rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t missing = in.values.size();
    for (std::size_t j = 0; j < in.values.size() && missing == in.values.size(); ++j) {
      if (std::isnan(in.values[j][i])) missing = j;
    }
    if (missing == in.values.size()) {
      in.rows.push_back(static_cast<std::uint32_t>(i));
    } else if (options.exclude_missing) {
      in.excluded.push_back(static_cast<std::int64_t>(i));
    } else {
      throw InvalidArgument("column '" + columns[missing] + "' is missing (NaN) in row " +
                            std::to_string(i) +
                            "; impute it, or set exclude_missing to leave such records out");
    }
  }
  if (static_cast<std::uint64_t>(k) > in.rows.size()) {
    throw InvalidArgument("k = " + std::to_string(k) + " is larger than the " +
                          std::to_string(in.rows.size()) + " records taking part");
  }
  return in;
}

// The records taking part as an m x p matrix, optionally as z-scores (population sd; a column
// with sd 0 is only centred).
Matrix to_matrix(const Prepared& in, bool z_scores) {
  const auto m = static_cast<Eigen::Index>(in.rows.size());
  const auto p = static_cast<Eigen::Index>(in.values.size());
  Matrix x(m, p);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) {
      x(i, j) = in.values[static_cast<std::size_t>(j)][in.rows[static_cast<std::size_t>(i)]];
    }
  }
  if (!z_scores) return x;
  for (Eigen::Index j = 0; j < p; ++j) {
    const double mean = x.col(j).mean();
    x.col(j).array() -= mean;
    const double sd = std::sqrt(x.col(j).squaredNorm() / static_cast<double>(m));
    if (sd > 0) x.col(j) /= sd;
  }
  return x;
}

// One run of MDAV-generic over the rows of `z`; returns the group of each row.
class Mdav {
 public:
  Mdav(Matrix z, std::size_t k)
      : z_(std::move(z)), k_(k), m_(static_cast<std::size_t>(z_.rows())), id_(m_),
        dist_(z_.rows()), point_(z_.cols()), block_lo_((m_ + kBlock - 1) / kBlock),
        block_hi_(block_lo_.size()), group_(m_, -1) {
    std::iota(id_.begin(), id_.end(), std::uint32_t{0});
    heap_.reserve(k_);
    selected_.reserve(k_);
  }

  std::vector<std::int32_t> run() && {
    while (m_ >= 3 * k_) round();
    if (m_ >= 2 * k_) {
      const std::size_t r = farthest_from_centroid();
      distances_from(r, kNearest);
      take_group(r, nullptr);
    }
    if (m_ > 0) {
      for (std::size_t q = 0; q < m_; ++q) group_[id_[q]] = next_group_;
      ++next_group_;
    }
    return std::move(group_);
  }

 private:
  struct Candidate {
    double dist;
    std::uint32_t id;
    std::uint32_t pos;
    bool operator<(const Candidate& o) const { return dist < o.dist || (dist == o.dist && id < o.id); }
  };

  // r: farthest from the centroid; s: farthest from r; a group around each.
  void round() {
    const std::size_t r = farthest_from_centroid();
    distances_from(r, kNearest | kFarthest);  // point_ is now x_r
    std::size_t s = farthest(r);
    take_group(r, &s);
    if (s == kGone) {  // s was among r's nearest (all remaining records equidistant from r)
      set_distances(kFarthest);
      s = farthest(kGone);
    }
    distances_from(s, kNearest);
    take_group(s, nullptr);
  }

  std::size_t farthest_from_centroid() {
    const auto m = static_cast<Eigen::Index>(m_);
    point_ = z_.topRows(m).colwise().sum() / static_cast<double>(m_);
    set_distances(kFarthest);
    return farthest(kGone);
  }

  void distances_from(std::size_t pos, unsigned need) {
    point_ = z_.row(static_cast<Eigen::Index>(pos));
    set_distances(need);
  }

  // What the distances are for: the nearest records (take_group needs each block's smallest
  // distance), the farthest (farthest() needs each block's largest), or both.
  static constexpr unsigned kNearest = 1, kFarthest = 2;

  // dist_[q] = squared distance from row q to point_, for the active rows, and the smallest and/or
  // largest distance of each block, taken while the block is in L1, so that the searches below
  // visit only the blocks that can hold what they look for.
  void set_distances(unsigned need) {
    const auto m = static_cast<Eigen::Index>(m_);
    for (Eigen::Index b = 0; b < m; b += kBlock) {
      const Eigen::Index len = std::min(kBlock, m - b);
      auto d = dist_.segment(b, len).array();
      d = (z_.col(0).segment(b, len).array() - point_[0]).square();
      for (Eigen::Index j = 1; j < z_.cols(); ++j) {
        d += (z_.col(j).segment(b, len).array() - point_[j]).square();
      }
      if (need & kNearest) block_lo_[static_cast<std::size_t>(b / kBlock)] = d.minCoeff();
      if (need & kFarthest) block_hi_[static_cast<std::size_t>(b / kBlock)] = d.maxCoeff();
    }
  }

  std::size_t blocks() const { return (m_ + kBlock - 1) / kBlock; }
  std::size_t block_end(std::size_t b) const { return std::min(m_, (b + 1) * kBlock); }

  // Position of the largest distance (lowest id among equals), other than position `skip`
  // (whose distance is 0: it is only a candidate when every distance is 0).
  std::size_t farthest(std::size_t skip) const {
    const auto end = block_hi_.begin() + static_cast<std::ptrdiff_t>(blocks());
    const double top = *std::max_element(block_hi_.begin(), end);
    std::size_t best = kGone;
    for (std::size_t b = 0; b < blocks(); ++b) {
      if (block_hi_[b] != top) continue;
      for (std::size_t q = b * kBlock; q < block_end(b); ++q) {
        const bool at_top = q != skip && dist_[static_cast<Eigen::Index>(q)] == top;
        if (at_top && (best == kGone || id_[q] < id_[best])) best = q;
      }
    }
    return best;
  }

  // Forms the group of the record at `centre` and its k-1 nearest others, and removes it from
  // the active block. `tracked`, if given, is a position kept valid across the removal (kGone
  // if that record was in the group).
  void take_group(std::size_t centre, std::size_t* tracked) {
    heap_.clear();
    const std::size_t want = k_ - 1;
    for (std::size_t b = 0; b < blocks(); ++b) {
      if (heap_.size() == want && block_lo_[b] > heap_.front().dist) continue;
      for (std::size_t q = b * kBlock; q < block_end(b); ++q) {
        const Candidate c{dist_[static_cast<Eigen::Index>(q)], id_[q], static_cast<std::uint32_t>(q)};
        if (q == centre || (heap_.size() == want && !(c < heap_.front()))) continue;
        if (heap_.size() == want) {
          std::pop_heap(heap_.begin(), heap_.end());
          heap_.pop_back();
        }
        heap_.push_back(c);
        std::push_heap(heap_.begin(), heap_.end());
      }
    }
    selected_.assign(1, centre);
    for (const Candidate& c : heap_) selected_.push_back(c.pos);
    remove_selected(tracked);
  }

  void remove_selected(std::size_t* tracked) {
    // Descending, so swapping the last active row into a freed slot never moves a row that is
    // still to be removed.
    std::sort(selected_.begin(), selected_.end(), std::greater<>());
    for (std::size_t pos : selected_) {
      group_[id_[pos]] = next_group_;
      --m_;
      if (tracked != nullptr && *tracked == pos) *tracked = kGone;
      if (pos == m_) continue;
      z_.row(static_cast<Eigen::Index>(pos)).swap(z_.row(static_cast<Eigen::Index>(m_)));
      std::swap(id_[pos], id_[m_]);
      if (tracked != nullptr && *tracked == m_) *tracked = pos;
    }
    ++next_group_;
  }

  Matrix z_;
  std::size_t k_;
  std::size_t m_;  // active records: the top m_ rows of z_
  std::vector<std::uint32_t> id_;
  Eigen::VectorXd dist_;
  Eigen::RowVectorXd point_;
  std::vector<double> block_lo_;
  std::vector<double> block_hi_;
  std::vector<std::int32_t> group_;
  std::vector<Candidate> heap_;
  std::vector<std::size_t> selected_;
  std::int32_t next_group_ = 0;
};

// Members of each group in ascending row order (a counting sort by group).
struct Groups {
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> members;  // indices among the records taking part
};

Groups members_of(const std::vector<std::int32_t>& group, std::size_t num_groups) {
  Groups g;
  g.start.assign(num_groups + 1, 0);
  for (std::int32_t x : group) ++g.start[static_cast<std::size_t>(x) + 1];
  std::partial_sum(g.start.begin(), g.start.end(), g.start.begin());
  g.members.resize(group.size());
  std::vector<std::size_t> next(g.start.begin(), g.start.end() - 1);
  for (std::size_t i = 0; i < group.size(); ++i) {
    g.members[next[static_cast<std::size_t>(group[i])]++] = static_cast<std::uint32_t>(i);
  }
  return g;
}

double aggregate(std::vector<double>& v, AggregationMeasure measure) {
  if (measure == AggregationMeasure::kMean) {
    double sum = 0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
  }
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

// Column j with every record taking part replaced by its group's aggregate.
std::vector<double> aggregated_column(const Prepared& in, std::size_t j, const Groups& g,
                                      AggregationMeasure measure) {
  const Span<const double> src = in.values[j];
  std::vector<double> out(src.begin(), src.end());
  std::vector<double> buf;
  for (std::size_t c = 0; c + 1 < g.start.size(); ++c) {
    buf.clear();
    for (std::size_t q = g.start[c]; q < g.start[c + 1]; ++q) buf.push_back(src[in.rows[g.members[q]]]);
    const double value = aggregate(buf, measure);
    for (std::size_t q = g.start[c]; q < g.start[c + 1]; ++q) out[in.rows[g.members[q]]] = value;
  }
  return out;
}

// Within-group and total sums of squares of the z-scores.
void information_loss(const Prepared& in, const Groups& g, MicroaggregationResult& out) {
  const Matrix z = to_matrix(in, true);
  Eigen::RowVectorXd mean(z.cols());
  double sse = 0;
  for (std::size_t c = 0; c + 1 < g.start.size(); ++c) {
    mean.setZero();
    for (std::size_t q = g.start[c]; q < g.start[c + 1]; ++q) mean += z.row(g.members[q]);
    mean /= static_cast<double>(g.start[c + 1] - g.start[c]);
    for (std::size_t q = g.start[c]; q < g.start[c + 1]; ++q) {
      sse += (z.row(g.members[q]) - mean).squaredNorm();
    }
  }
  out.sse = sse;
  out.sst = (z.rowwise() - z.colwise().mean()).squaredNorm();
  out.information_loss = out.sst > 0 ? out.sse / out.sst : 0.0;
}

}  // namespace

MicroaggregationResult mdav(const Table& table, const std::vector<std::string>& columns,
                            std::int64_t k, const MdavOptions& options) {
  const Prepared in = prepare(table, columns, k, options);
  Matrix z = to_matrix(in, options.standardisation == Standardisation::kZScore);
  const std::vector<std::int32_t> group = Mdav(std::move(z), static_cast<std::size_t>(k)).run();

  MicroaggregationResult out;
  out.num_groups = static_cast<std::size_t>(*std::max_element(group.begin(), group.end())) + 1;
  const Groups g = members_of(group, out.num_groups);
  out.group.assign(table.num_rows(), -1);
  for (std::size_t i = 0; i < group.size(); ++i) out.group[in.rows[i]] = group[i];
  information_loss(in, g, out);
  out.excluded_rows = in.excluded;

  for (const Column& c : table.columns()) {
    const auto it = std::find(columns.begin(), columns.end(), c.name());
    if (it == columns.end()) {
      out.table.add_column(c);
    } else {
      const auto j = static_cast<std::size_t>(it - columns.begin());
      out.table.add_column(Column::numeric(c.name(), aggregated_column(in, j, g, options.measure)));
    }
  }
  return out;
}

}  // namespace sdcore
