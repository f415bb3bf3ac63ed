// Controlled rounding of one- and two-dimensional tables as a network flow (Cox & Ernst 1982; see
// docs/methods/controlled_rounding.md). In units of the base, cell i rounds to low_i + f_i with
// f_i in {0, 1} (0 for a multiple). For a two-dimensional table the inner cells are arcs from
// their row's node to their column's node, a row total is the arc from the source into its row,
// a column total the arc from its column to the sink, and the grand total the arc from the sink
// back to the source; conservation at every node is exactly the table's additivity. Shifting each
// margin's flow by k = low_total - sum(low_parts) makes the bounds [k, k + 1] (or [k, k] for a
// multiple), and the residuals value/b - low themselves are a feasible fractional circulation, so
// an integral one exists (Cox & Ernst 1982). A one-dimensional table is the same with parallel
// arcs from source to sink for the cells and the total back.
//
// The circulation is solved as a linear programme with COIN-OR Clp: the node-arc incidence matrix
// is totally unimodular, so the simplex method's vertex solution is integral (checked below).
// Costs are the distance b(1 - 2 r) per unit of an arc's f: real numbers, which Clp takes as they
// are (Boost's successive shortest paths would need integral costs to be exact).

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

#include <cmath>

#include "detail/controlled_rounding_internal.hpp"
#include "detail/lp.hpp"

namespace sdcore::detail {

namespace {

struct FlowArc {
  std::size_t from, to, cell;
  double offset;  // flow = offset + f_cell
};

struct FlowNetwork {
  std::size_t nodes = 2;  // 0: source, 1: sink
  std::vector<FlowArc> arcs;
};

bool flat(const Dimension& d) {
  for (std::size_t n = 0; n < d.size(); ++n) {
    if (n != d.root() && (!d.is_leaf(n) || d.parent(n) != d.root())) return false;
  }
  return true;
}

std::vector<std::size_t> leaves(const Dimension& d) {
  std::vector<std::size_t> out;
  for (std::size_t n = 0; n < d.size(); ++n) {
    if (n != d.root()) out.push_back(n);
  }
  return out;
}

double offset(const RoundingCells& c, std::size_t total, const std::vector<std::size_t>& parts) {
  double sum = 0;
  for (std::size_t p : parts) sum += c.low[p];
  return c.low[total] - sum;
}

FlowNetwork one_dimensional(const Tabulation& t, const RoundingCells& c) {
  const Dimension& d = t.dimensions()[0];
  FlowNetwork net;
  std::vector<std::size_t> inner;
  for (std::size_t leaf : leaves(d)) {
    inner.push_back(t.index({leaf}));
    net.arcs.push_back({0, 1, inner.back(), 0.0});
  }
  const std::size_t total = t.index({d.root()});
  net.arcs.push_back({1, 0, total, offset(c, total, inner)});
  return net;
}

FlowNetwork two_dimensional(const Tabulation& t, const RoundingCells& c) {
  const Dimension& rows = t.dimensions()[0];
  const Dimension& cols = t.dimensions()[1];
  const std::vector<std::size_t> row_leaves = leaves(rows), col_leaves = leaves(cols);
  FlowNetwork net;
  net.nodes = 2 + row_leaves.size() + col_leaves.size();
  std::vector<std::size_t> all_inner;
  for (std::size_t a = 0; a < row_leaves.size(); ++a) {
    std::vector<std::size_t> inner;
    for (std::size_t b = 0; b < col_leaves.size(); ++b) {
      inner.push_back(t.index({row_leaves[a], col_leaves[b]}));
      net.arcs.push_back({2 + a, 2 + row_leaves.size() + b, inner.back(), 0.0});
    }
    const std::size_t total = t.index({row_leaves[a], cols.root()});
    net.arcs.push_back({0, 2 + a, total, offset(c, total, inner)});
    all_inner.insert(all_inner.end(), inner.begin(), inner.end());
  }
  for (std::size_t b = 0; b < col_leaves.size(); ++b) {
    std::vector<std::size_t> inner;
    for (std::size_t a : row_leaves) inner.push_back(t.index({a, col_leaves[b]}));
    const std::size_t total = t.index({rows.root(), col_leaves[b]});
    net.arcs.push_back({2 + row_leaves.size() + b, 1, total, offset(c, total, inner)});
  }
  const std::size_t grand = t.index({rows.root(), cols.root()});
  net.arcs.push_back({1, 0, grand, offset(c, grand, all_inner)});
  return net;
}

}  // namespace

bool network_applies(const Tabulation& table) {
  const auto& dims = table.dimensions();
  if (dims.empty() || dims.size() > 2) return false;
  for (const Dimension& d : dims) {
    if (!flat(d)) return false;
  }
  return true;
}

namespace {

// A feasible integral circulation by maximum flow (Boost's push-relabel), for tables too large for
// the cost-minimising LP. Lower bounds are removed the standard way: an arc with bounds [l, l + c]
// carries l for free and keeps capacity c, and each node's imbalance of the l's is fed from a
// super-source or drained to a super-sink; a circulation exists iff the maximum flow saturates
// the super-source (it always does here: the residuals are a fractional circulation).
std::optional<std::vector<char>> max_flow_circulation(const FlowNetwork& net, const RoundingCells& cells) {
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, long,
                      boost::property<boost::edge_residual_capacity_t, long,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  Graph g(net.nodes + 2);
  auto capacity = boost::get(boost::edge_capacity, g);
  auto reverse = boost::get(boost::edge_reverse, g);
  const auto add = [&](std::size_t from, std::size_t to, long cap) {
    const auto e = boost::add_edge(from, to, g).first;
    const auto back = boost::add_edge(to, from, g).first;
    capacity[e] = cap;
    capacity[back] = 0;
    reverse[e] = back;
    reverse[back] = e;
    return e;
  };
  std::vector<long> excess(net.nodes, 0);
  std::vector<Traits::edge_descriptor> arc_edge;
  for (const FlowArc& arc : net.arcs) {
    const auto l = static_cast<long>(std::llround(arc.offset));
    excess[arc.to] += l;
    excess[arc.from] -= l;
    arc_edge.push_back(add(arc.from, arc.to, cells.free[arc.cell] ? 1 : 0));
  }
  const std::size_t source = net.nodes, sink = net.nodes + 1;
  long needed = 0;
  for (std::size_t v = 0; v < net.nodes; ++v) {
    if (excess[v] > 0) add(source, v, excess[v]), needed += excess[v];
    if (excess[v] < 0) add(v, sink, -excess[v]);
  }
  const long flow = boost::push_relabel_max_flow(g, source, sink);
  if (flow != needed) return std::nullopt;
  auto residual = boost::get(boost::edge_residual_capacity, g);
  std::vector<char> up(cells.size(), 0);
  for (std::size_t a = 0; a < net.arcs.size(); ++a)
    up[net.arcs[a].cell] = capacity[arc_edge[a]] - residual[arc_edge[a]] > 0 ? 1 : 0;
  return up;
}

}  // namespace

std::optional<std::vector<char>> solve_rounding_max_flow(const Tabulation& table, const RoundingCells& cells) {
  const FlowNetwork net =
      table.dimensions().size() == 1 ? one_dimensional(table, cells) : two_dimensional(table, cells);
  return max_flow_circulation(net, cells);
}

std::optional<std::vector<char>> solve_rounding_flow(const Tabulation& table, const RoundingCells& cells) {
  const FlowNetwork net =
      table.dimensions().size() == 1 ? one_dimensional(table, cells) : two_dimensional(table, cells);
  std::vector<double> lower, upper, cost;
  std::vector<SparseRow> rows(net.nodes - 1);  // every node but the sink: in - out = 0
  for (std::size_t a = 0; a < net.arcs.size(); ++a) {
    const FlowArc& arc = net.arcs[a];
    const bool free = cells.free[arc.cell] != 0;
    lower.push_back(arc.offset);
    upper.push_back(arc.offset + (free ? 1.0 : 0.0));
    cost.push_back(free ? cells.base * (1 - 2 * cells.residual[arc.cell]) : 0.0);
    if (arc.from != 1) rows[arc.from > 1 ? arc.from - 1 : 0].entries.emplace_back(static_cast<int>(a), -1.0);
    if (arc.to != 1) rows[arc.to > 1 ? arc.to - 1 : 0].entries.emplace_back(static_cast<int>(a), 1.0);
  }
  Lp lp(lower, upper, cost, rows);
  if (lp.solve() != Lp::Status::kOptimal) return std::nullopt;
  const double* x = lp.primal();
  std::vector<char> up(cells.size(), 0);
  for (std::size_t a = 0; a < net.arcs.size(); ++a) {
    const double f = x[a] - net.arcs[a].offset;
    const double whole = std::round(f);
    if (std::abs(f - whole) > 1e-6 || whole < 0 || whole > 1) return std::nullopt;
    up[net.arcs[a].cell] = whole > 0.5 ? 1 : 0;
  }
  return up;
}

}  // namespace sdcore::detail
