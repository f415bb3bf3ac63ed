// The cell key method: p-tables read from tau-Argus's files and looked up by hand, generated
// p-tables checked against their defining constraints (and against published tables whose
// parameters can be read off their rows), record and cell keys checked against integer sums done
// in the test, and the magnitude variant worked by hand from the flex-function formula.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "sdcore/cellkey.hpp"
#include "sdcore/error.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::error_of;
using test::shared_data;

PerturbationTable frequency_table(const std::string& name) {
  return read_perturbation_table(shared_data("tauargus/cellkey/Frequency/" + name));
}

PerturbationTable magnitude_table(const std::string& name) {
  return read_perturbation_table(shared_data("tauargus/cellkey/Magnitude/" + name));
}

// Rows of a p-table: i -> entries.
std::map<double, std::vector<PTableEntry>> by_row(const PerturbationTable& p) {
  std::map<double, std::vector<PTableEntry>> rows;
  for (const PTableEntry& e : p.entries()) rows[e.i].push_back(e);
  return rows;
}

TEST(CellKeyPTable, ReadsTauArgusFrequencyTable) {
  const PerturbationTable p = frequency_table("20160511_szenario_5a.txt");
  // Counted in the file: rows 0..8 with 1, 5, 6, 7, 8, 9, 9, 10, 11 entries.
  EXPECT_EQ(p.entries().size(), 66u);
  EXPECT_EQ(p.max_i(), 8);
  EXPECT_EQ(p.rows(), (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_FALSE(p.has(PTableType::kSmallCells));
  // Quoted header "i";"j";"p";"v";"p_ij_ub": rows 0..10 with 1, 7, 8, ..., 13, 13, 14, 15 entries.
  EXPECT_EQ(frequency_table("tau_testW_ptable.txt").entries().size(), 113u);
}

TEST(CellKeyPTable, ReadsMagnitudeTablesWithType) {
  const PerturbationTable all = magnitude_table("ptab_savings_all.txt");
  EXPECT_EQ(all.rows(), (std::vector<double>{0, 1, 5}));  // steps of 0.5: i = 1 has j = 0, 0.5, ..., 6
  EXPECT_EQ(by_row(all)[1].size(), 13u);
  EXPECT_EQ(by_row(all)[1][1].v, -0.5);
  const PerturbationTable both = all.with_rows(magnitude_table("ptab_savings_smallcells.txt"), PTableType::kSmallCells);
  EXPECT_EQ(both.rows(PTableType::kSmallCells), (std::vector<double>{0, 1, 8}));
  EXPECT_EQ(both.max_i(PTableType::kAll), 5);
  EXPECT_EQ(magnitude_table("ptab_freq.txt").max_i(), 8);  // header i;j;p;v;p_int_ub, no type column
  EXPECT_NE(error_of([&] { (void)both.with_rows(all, PTableType::kSmallCells); }), "no error");
}

TEST(CellKeyPTable, LookupIntervalsAreOpenBelowClosedAbove) {
  const PerturbationTable p = frequency_table("20160511_szenario_5a.txt");
  // Row 1 of the file: p_ub 0.666749933 (v -1), 0.9997505 (v 2), 0.9999998 (v 3), 0.9999999, 1.
  EXPECT_EQ(perturb_count(1, 0.7, p), 3);  // 0.666749933 < 0.7 <= 0.9997505
  EXPECT_EQ(perturb_count(1, 0.666749933, p), 0);  // on the bound: still the first interval
  EXPECT_EQ(perturb_count(1, 0.66674994, p), 3);
  EXPECT_EQ(perturb_count(1, 0, p), 0);
  EXPECT_EQ(perturb_count(1, 0.99999985, p), 5);  // 0.9999998 < ck <= 0.9999999: v = 4
  EXPECT_EQ(perturb_count(1, 0.99999999, p), 6);  // last entry, v = 5
  EXPECT_EQ(perturb_count(0, 0.7, p), 0);          // zero cells stay zero
  // A count above i_max = 8 uses row 8, its noise added to the count itself: p_ub 0.139452107
  // (v -2), 0.359066791 (v -1), 0.640933209 (v 0), 0.860547893 (v 1), 0.964423957 (v 2).
  EXPECT_EQ(perturb_count(20, 0.3, p), 19);
  EXPECT_EQ(perturb_count(20, 0.5, p), 20);
  EXPECT_EQ(perturb_count(20, 0.9, p), 22);
  EXPECT_EQ(perturb_count(8, 0.9, p), 10);
  EXPECT_NE(error_of([&] { perturb_count(2.5, 0.5, p); }).find("whole number"), std::string::npos);
  EXPECT_NE(error_of([&] { perturb_count(2, 1.0, p); }).find("not in [0, 1)"), std::string::npos);
}

ParseError parse_error_of(const std::string& text) {
  try {
    parse_perturbation_table(text, "t.txt");
  } catch (const ParseError& e) {
    return e;
  }
  return ParseError("", 0, 0, "", "no error");
}

TEST(CellKeyPTable, ParseErrorsNameLineColumnAndText) {
  const std::string head = "i;j;p;v;p_ub\n0;0;1;0;1\n";
  ParseError e = parse_error_of(head + "1;0;0.5;-1;0.5\n1;2;0.5x;1;1\n");
  EXPECT_EQ(e.line(), 4);
  EXPECT_EQ(e.column(), 3);
  EXPECT_EQ(e.text(), "0.5x");
  EXPECT_EQ(std::string(e.what()), "t.txt:4:3: bad number in p-table: \"0.5x\"");
  e = parse_error_of(head + "1;0;0.5;-1;0.5\n1;2;0.5;2;1\n");  // v is not j - i
  EXPECT_EQ(e.line(), 4);
  EXPECT_NE(std::string(e.what()).find("v is not j - i"), std::string::npos);
  e = parse_error_of(head + "1;0;0.5;-1;0.5\n1;2;0.4;1;0.9\n");  // row 1 sums to 0.9
  EXPECT_EQ(e.line(), 4);
  EXPECT_NE(std::string(e.what()).find("sum to 0.9"), std::string::npos);
  e = parse_error_of(head + "1;0;0.5;-1;0.6\n1;2;0.5;1;1\n");  // p_ub is not cumulative
  EXPECT_EQ(e.line(), 3);
  e = parse_error_of("i;j;p;v;p_ub;type\n0;0;1;0;1;some\n");
  EXPECT_EQ(e.column(), 6);
  EXPECT_EQ(e.text(), "some");
  e = parse_error_of("i;j;prob;v;p_ub\n");
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 3);
  e = parse_error_of("i;j;p;v\n0;0;1;0\n");  // no upper bound column
  EXPECT_EQ(e.line(), 1);
  e = parse_error_of(head + "1;-1;1;-2;1\n");  // j < 0
  EXPECT_NE(std::string(e.what()).find("j < 0"), std::string::npos);
  EXPECT_THROW(read_perturbation_table("/nonexistent/ptable.txt"), IoError);
}

// Sum, mean and variance of the noise of each row, for the property tests.
struct RowMoments {
  double sum = 0, mean = 0, var = 0;
};
std::map<double, RowMoments> moments(const PerturbationTable& p) {
  std::map<double, RowMoments> out;
  for (const auto& [i, row] : by_row(p)) {
    RowMoments m;
    for (const PTableEntry& e : row) m.sum += e.p, m.mean += e.p * e.v, m.var += e.p * e.v * e.v;
    m.var -= m.mean * m.mean;
    out[i] = m;
  }
  return out;
}

TEST(CellKeyGenerate, RowsMeetTheConstraints) {
  const std::vector<PTableParams> cases = {{5, 2.001, 2, 0}, {7, 4, 2, 0}, {3, 1, 0, 0}, {5, 3, 2, 0.5}, {4, 2.5, 1, 0}};
  for (const PTableParams& par : cases) {
    SCOPED_TRACE("D=" + std::to_string(par.max_deviation) + " V=" + format_number(par.variance));
    const PerturbationTable p = generate_perturbation_table(par);
    EXPECT_EQ(p.max_i(), par.max_deviation + par.js + 1);  // ptable's rows 0..D+js+1
    for (const auto& [i, m] : moments(p)) {
      EXPECT_NEAR(m.sum, 1, 1e-12);
      EXPECT_NEAR(m.mean, 0, 1e-9);
      EXPECT_NEAR(m.var, i == 0 ? 0 : par.variance, 1e-9);
    }
    for (const auto& [i, row] : by_row(p)) {  // monotony: p(v) <= p(v + 1) up to v = 0
      for (std::size_t k = 0; k + 1 < row.size() && row[k + 1].v <= 0; ++k) EXPECT_LE(row[k].p, row[k + 1].p * (1 + 1e-9));
    }
    for (const PTableEntry& e : p.entries()) {
      EXPECT_FALSE(e.j >= 1 && e.j <= par.js) << "i " << e.i << " j " << e.j;
      EXPECT_LE(std::fabs(e.v), par.max_deviation);
      if (e.v == 0 && par.pstay > 0 && e.i > 0) {
        EXPECT_GE(e.p, par.pstay - 1e-12);
      }
    }
  }
}

TEST(CellKeyGenerate, TwoPointRowsAtTheEdgeOfTheSupport) {
  // D=5, V=2, js=2, row 1: v in {-1, 2, 3, 4, 5}. sum p (v^2 - v - 2) = V - 0 - 2 = 0 and
  // v^2 - v - 2 = (v - 2)(v + 1) > 0 for v >= 3, so only p(-1) = 2/3, p(2) = 1/3 is feasible.
  // Row 2 likewise ((v - 1)(v + 2)): p(-2) = 1/3, p(1) = 2/3.
  auto rows = by_row(generate_perturbation_table({5, 2.0, 2, 0}));
  EXPECT_NEAR(rows[1][0].p, 2.0 / 3, 1e-15);
  EXPECT_NEAR(rows[1][1].p, 1.0 / 3, 1e-15);
  EXPECT_EQ(rows[1][2].p, 0);
  EXPECT_NEAR(rows[2][0].p, 1.0 / 3, 1e-15);
  EXPECT_NEAR(rows[2][1].p, 2.0 / 3, 1e-15);
}

TEST(CellKeyGenerate, RefusesUnreachableVariance) {
  // Row 1 with js = 2 reaches variances from (-1)(2) -> 2 up to (-1)(5) -> 5 only.
  EXPECT_NE(error_of([] { generate_perturbation_table({5, 1.5, 2, 0}); }).find("row i = 1"), std::string::npos);
  EXPECT_NE(error_of([] { generate_perturbation_table({1, 2, 0, 0}); }).find("row i = 1"), std::string::npos);
  EXPECT_NE(error_of([] { generate_perturbation_table({0, 2, 0, 0}); }).find("got 0"), std::string::npos);
  EXPECT_NE(error_of([] { generate_perturbation_table({5, -1, 0, 0}); }).find("got -1"), std::string::npos);
  EXPECT_NE(error_of([] { generate_perturbation_table({5, 2, 0, 1}); }).find("pstay"), std::string::npos);
}

// Largest |p| difference between two p-tables over the entries they share (same i, j).
double max_difference(const PerturbationTable& a, const PerturbationTable& b) {
  std::map<std::pair<double, double>, double> pa;
  for (const PTableEntry& e : a.entries()) pa[{e.i, e.j}] = e.p;
  double worst = 0;
  for (const PTableEntry& e : b.entries()) worst = std::max(worst, std::fabs(pa.at({e.i, e.j}) - e.p));
  return worst;
}

TEST(CellKeyGenerate, MatchesPublishedTables) {
  // Parameters read off the files: every row of 20160511_szenario_5a.txt has variance 2.001 and
  // noise within +-5 with j = 1, 2 absent (D=5, V=2.001, js=2); tau_testW_ptable.txt: variance 4,
  // +-7, js=2; Magnitude/ptab_freq.txt: variance 3, +-5, js=2, p(v=0) = 0.5 from row 3 on.
  // Differences left: the published tables round p to 8-9 digits, and ptable keeps every p >= 1e-8
  // (rows 1 and 2 of the first file: 1e-7 tails where the exact optimum has 6e-9 and less).
  // Rows with a tie from the monotony constraint (e.g. row 4 of the first: p(-1) = p(0)) match
  // only with it: without it they differ by 0.01.
  EXPECT_GT(max_difference(generate_perturbation_table({5, 2.001, 2, 0, false}), frequency_table("20160511_szenario_5a.txt")),
            0.01);
  EXPECT_LT(max_difference(generate_perturbation_table({5, 2.001, 2, 0}), frequency_table("20160511_szenario_5a.txt")),
            2e-6);
  EXPECT_LT(max_difference(generate_perturbation_table({7, 4, 2, 0}), frequency_table("tau_testW_ptable.txt")), 1e-8);
  EXPECT_LT(max_difference(generate_perturbation_table({5, 3, 2, 0.5}), magnitude_table("ptab_freq.txt")), 1e-7);
}

TEST(CellKeyKeys, GeneratedKeysAreReproducibleAndUniform) {
  // splitmix64 from seed 42, each 64-bit output modulo 10^8 (none rejected), computed independently
  // with Python integers: 55275413, 26892291, 62763858, 58255764.
  const auto k = generate_record_keys(4, 42);
  EXPECT_EQ(fixed_point_keys(k), (std::vector<std::uint64_t>{55275413, 26892291, 62763858, 58255764}));
  EXPECT_EQ(generate_record_keys(4, 42), k);
  const auto many = generate_record_keys(100000, 7);
  double mean = 0;
  for (double x : many) mean += x / static_cast<double>(many.size());
  // Mean of 1e5 uniform keys: sd sqrt(1/12/1e5) = 0.000913; 4.5 sd -> false alarm 7e-6.
  EXPECT_NEAR(mean, 0.5, 4.5 * 0.000913);
  EXPECT_NO_THROW(fixed_point_keys(many));  // every key has at most 8 decimals
  EXPECT_EQ(fixed_point_keys(generate_record_keys(3, 1, 15), 15).size(), 3u);
}

TEST(CellKeyKeys, FixedPointConversion) {
  EXPECT_EQ(fixed_point_keys(std::vector<double>{0.08301544, 0.5, 0, 0.99999999}),
            (std::vector<std::uint64_t>{8301544, 50000000, 0, 99999999}));
  EXPECT_EQ(fixed_point_keys(std::vector<double>{0.123456789012345}, 15)[0], 123456789012345u);
  EXPECT_EQ(error_of([] { fixed_point_keys(std::vector<double>{0.5, 0.123456789}); }),
            "record key 0.123456789 in row 2 is not in [0, 1) with at most 8 decimal digits");
  EXPECT_NE(error_of([] { fixed_point_keys(std::vector<double>{1.0}); }).find("row 1"), std::string::npos);
  EXPECT_NE(error_of([] { fixed_point_keys(std::vector<double>{-0.25}); }).find("row 1"), std::string::npos);
  EXPECT_NE(error_of([] { fixed_point_keys(std::vector<double>{NAN}); }).find("(missing)"), std::string::npos);
  EXPECT_NE(error_of([] { fixed_point_keys(std::vector<double>{0.5}, 16); }).find("1..15"), std::string::npos);
}

// Records: region (leaves a, b, c under North = {a, b} and the total), sex, age and keys k / 10^8.
Table people(const std::vector<std::size_t>& order = {}) {
  const std::vector<std::int32_t> region = {0, 0, 1, 1, 1, 2, 2, 0};
  const std::vector<std::int32_t> sex = {0, 1, 0, 1, 1, 0, 1, 1};
  const std::vector<std::int32_t> age = {0, 1, 2, 0, 1, 2, 0, 1};
  const std::vector<double> key = {0.6, 0.7, 0.2, 0.35, 0.45, 0.99999999, 0.00000002, 0.125};
  std::vector<std::size_t> o = order;
  if (o.empty()) for (std::size_t r = 0; r < key.size(); ++r) o.push_back(r);
  std::vector<std::int32_t> rg, sx, ag;
  std::vector<double> k;
  for (std::size_t r : o) rg.push_back(region[r]), sx.push_back(sex[r]), ag.push_back(age[r]), k.push_back(key[r]);
  Table t;
  t.add_column(Column::categorical("region", rg, {"a", "b", "c"}));
  t.add_column(Column::categorical("sex", sx, {"f", "m"}));
  t.add_column(Column::categorical("age", ag, {"young", "mid", "old"}));
  t.add_column(Column::numeric("rkey", k));
  return t;
}

std::vector<DimensionSpec> region_by(const std::string& other) {
  Hierarchy h = Hierarchy::from_rows("region", {{"a", "North", "All"}, {"b", "North", "All"}, {"c", "South", "All"}});
  return {DimensionSpec("region", h), DimensionSpec(other)};
}

double key_at(const Tabulation& t, const std::vector<double>& keys, const std::vector<std::string>& codes) {
  std::vector<std::size_t> nodes;
  for (std::size_t d = 0; d < codes.size(); ++d) nodes.push_back(*t.dimensions()[d].find(codes[d]));
  return keys[t.index(nodes)];
}

TEST(CellKeyKeys, CellKeysAreIntegerSumsModuloOne) {
  const Table r = people();
  const Tabulation t = tabulate(r, region_by("sex"));
  const auto ck = cell_keys(t, r, "rkey");
  ASSERT_EQ(ck.size(), t.num_cells());
  // By hand, in units of 1e-8: (a, f) = record 0 -> 0.6; (a, Total) = 0.6 + 0.7 + 0.125 = 1.425 -> 0.425;
  // (c, Total) = 99999999 + 2 = 100000001 -> 0.00000001; grand total: sum of all keys
  // 3.42500001 -> 0.42500001.
  EXPECT_EQ(key_at(t, ck, {"a", "f"}), 0.6);
  EXPECT_EQ(key_at(t, ck, {"a", "Total"}), 0.425);
  EXPECT_EQ(key_at(t, ck, {"c", "Total"}), 0.00000001);
  EXPECT_EQ(key_at(t, ck, {"All", "Total"}), 0.42500001);
  EXPECT_EQ(key_at(t, ck, {"c", "f"}), 0.99999999);
  // Any order of the records gives bit-identical keys (the sums are integers).
  EXPECT_EQ(cell_keys(tabulate(people({7, 6, 5, 4, 3, 2, 1, 0}), region_by("sex")),
                      people({7, 6, 5, 4, 3, 2, 1, 0}), "rkey"),
            ck);
}

TEST(CellKeyCounts, SameCellSamePerturbationAcrossTables) {
  const Table r = people();
  const PerturbationTable p = frequency_table("20160511_szenario_5a.txt");
  const Tabulation by_sex = tabulate(r, region_by("sex"));
  const Tabulation by_age = tabulate(r, region_by("age"));
  const CellKeyResult ps = perturb_counts(by_sex, cell_keys(by_sex, r, "rkey"), p);
  const CellKeyResult pa = perturb_counts(by_age, cell_keys(by_age, r, "rkey"), p);
  for (const std::string region : {"a", "b", "c", "North", "South", "All"}) {
    const std::size_t s = by_sex.index({*by_sex.dimensions()[0].find(region), by_sex.dimensions()[1].root()});
    const std::size_t a = by_age.index({*by_age.dimensions()[0].find(region), by_age.dimensions()[1].root()});
    EXPECT_EQ(by_sex.cell(s).value, by_age.cell(a).value);
    EXPECT_EQ(ps.value[s], pa.value[a]) << region;
  }
  // Each cell: the lookup by hand; (a, Total): count 3, key 0.425 -> row 3, 0.147338915 < 0.425
  // <= 0.658678368 -> v = 0; (All, Total): count 8, key 0.42500001 -> row 8, 0.359066791 < key
  // <= 0.640933209 -> v = 0; (b, m): count 2, key 0.35 + 0.45 = 0.8 -> row 2, 0.3334165 < 0.8
  // <= 0.9997511 -> v = 1 -> 3.
  const auto at = [&](const std::string& x, const std::string& y) {
    return by_sex.index({*by_sex.dimensions()[0].find(x), *by_sex.dimensions()[1].find(y)});
  };
  EXPECT_EQ(ps.value[at("a", "Total")], 3);
  EXPECT_EQ(ps.value[at("All", "Total")], 8);
  EXPECT_EQ(ps.value[at("b", "m")], 3);
  EXPECT_EQ(ps.noise[at("b", "m")], 1);
  for (std::size_t c = 0; c < by_sex.num_cells(); ++c) {
    if (by_sex.cell(c).value == 0) {
      EXPECT_EQ(ps.value[c], 0);
    }
  }
  EXPECT_NE(error_of([&] { perturb_counts(by_sex, {0.5}, p); }).find("cell keys for"), std::string::npos);
}

TEST(CellKeyKeys, RejectsBadInput) {
  Table r = people();
  const Tabulation t = tabulate(r, region_by("sex"));
  EXPECT_NE(error_of([&] { cell_keys(t, r, "nokey"); }), "no error");
  EXPECT_NE(error_of([&] { cell_keys(t, r, "sex"); }).find("not numeric"), std::string::npos);
  Table bad;
  for (const Column& c : r.columns()) {
    if (c.name() != "rkey") bad.add_column(c);
  }
  bad.add_column(Column::numeric("rkey", {0.5, 0.5, 0.5, 1.5, 0.5, 0.5, 0.5, 0.5}));
  EXPECT_NE(error_of([&] { cell_keys(t, bad, "rkey"); }).find("row 4"), std::string::npos);
}

// --- magnitudes -------------------------------------------------------------------------------

MagnitudeParams tau_argus_scaling(std::size_t top_k) {
  // <SCALING> F(0.03, 0.30, 1000, 3, 0.5, 0.2): p_large, p_small, flex point, q, epsilon 2 and 3.
  MagnitudeParams m;
  m.top_k = top_k;
  m.epsilon = std::vector<double>{1, 0.5, 0.2};
  m.epsilon.resize(top_k);
  m.flex = FlexFunction{0.30, 0.03, 1000, 3};
  return m;
}

TEST(CellKeyMagnitude, FlexFunction) {
  const FlexFunction f{0.30, 0.03, 1000, 3};
  EXPECT_EQ(f.share(100), 0.30);
  // x = 5000: 0.03 (1 + (1500 - 30) / 30 * (2000 / 6000)^3) = 0.03 (1 + 49/27) = 0.03 * 76/27.
  EXPECT_NEAR(f.share(5000), 0.03 * 76 / 27, 1e-15);
  EXPECT_NEAR(f.share(1000), 0.30, 1e-15);  // continuous at the flex point
}

TEST(CellKeyMagnitude, HandWorkedCells) {
  const PerturbationTable all = magnitude_table("ptab_savings_all.txt");
  const std::vector<double> one = {100};
  // x = 100 < flex point: delta = 0.3 * 100 = 30, a = 100/30 between rows 1 and 5, lambda =
  // (10/3 - 1)/4 = 7/12. Key 0.95: row 1 has 0.9333078 < 0.95 <= 0.96001407 -> v 2; row 5 has
  // 0.89675325 < 0.95 <= 0.96151221 -> v 1.5; v = 5/12 * 2 + 7/12 * 1.5 = 20.5/12; noise 51.25.
  EXPECT_NEAR(magnitude_noise(100, one, 1, 0.95, all, tau_argus_scaling(1)), 51.25, 1e-12);
  // Key 0.01: row 1 -> v -1 (0.01 <= 0.24006614), row 5 -> v -2.5 (0.00272796 < 0.01 <=
  // 0.01149219); v = (-5 - 17.5)/12; noise 30 * -1.875.
  EXPECT_NEAR(magnitude_noise(100, one, 1, 0.01, all, tau_argus_scaling(1)), -56.25, 1e-12);
  // x = 5000 > flex point: delta = 5000 * 0.03 * 76/27, a = 27/(0.03*76) = 11.8 >= 5 -> row 5, v 1.5.
  const std::vector<double> big = {5000};
  EXPECT_NEAR(magnitude_noise(5000, big, 1, 0.95, all, tau_argus_scaling(1)), 5000 * 0.03 * 76 / 27 * 1.5, 1e-9);
  // Top 3 of (100, 60, 20), key 0.95 = 95000000 -> 50000009 -> 00000095 for the 2nd and 3rd:
  // 1st as above, 51.25; 2nd: delta = 0.5 * 0.3 * 60 = 9, a = 6.7 -> row 5, key 0.50000009 in
  // (0.40026458, 0.59973537] -> v 0; 3rd: delta = 0.2 * 0.3 * 20 = 1.2, a = 16.7 -> row 5, key
  // 0.00000095 in (0.00000074, 0.00000874] -> v -4.5, -5.4. Total 45.85.
  const std::vector<double> three = {100, 60, 20};
  EXPECT_NEAR(magnitude_noise(180, three, 3, 0.95, all, tau_argus_scaling(3)), 51.25 - 5.4, 1e-12);
}

TEST(CellKeyMagnitude, SmallCellsUseTheirOwnRows) {
  const PerturbationTable p =
      magnitude_table("ptab_savings_all.txt").with_rows(magnitude_table("ptab_savings_smallcells.txt"), PTableType::kSmallCells);
  // Separation point sqrt(m1^2) / p_small, m1^2 = variance of small-cells row 8 = 2 (to 1e-8), so
  // z_s = 4.71: x = 3 is small -> delta 1, a = 3 between small rows 1 and 8, lambda = 2/7. Key 0.95:
  // row 1 0.9315567 < 0.95 <= 0.95663885 -> v 2; row 8 0.94512809 < 0.95 <= 0.97469326 -> v 2.5;
  // noise 5/7 * 2 + 2/7 * 2.5 = 15/7.
  const std::vector<double> small = {3};
  EXPECT_NEAR(magnitude_noise(3, small, 1, 0.95, p, tau_argus_scaling(1)), 15.0 / 7, 1e-12);
  // x = 100 is above z_s: the same as without small-cells rows.
  const std::vector<double> one = {100};
  EXPECT_NEAR(magnitude_noise(100, one, 1, 0.95, p, tau_argus_scaling(1)), 51.25, 1e-12);
}

TEST(CellKeyMagnitude, RejectsBadParameters) {
  const PerturbationTable all = magnitude_table("ptab_savings_all.txt");
  const std::vector<double> one = {100};
  MagnitudeParams m = tau_argus_scaling(3);
  m.epsilon = {1, 0.5};
  EXPECT_NE(error_of([&] { magnitude_noise(100, one, 1, 0.5, all, m); }).find("epsilon needs"), std::string::npos);
  m = tau_argus_scaling(1);
  m.flex.p_large = 0.5;
  EXPECT_NE(error_of([&] { magnitude_noise(100, one, 1, 0.5, all, m); }).find("p_large"), std::string::npos);
  const PerturbationTable parity = all.with_rows(all, PTableType::kEven).with_rows(all, PTableType::kOdd);
  EXPECT_NE(error_of([&] { magnitude_noise(100, one, 1, 0.5, parity, tau_argus_scaling(3)); }).find("even/odd"),
            std::string::npos);
}

// tau-Argus's CKM magnitude test data: Sex;Age;HighIncome;Savings;Weight;Key, no header.
Table savings_microdata() {
  std::ifstream in(shared_data("tauargus/cellkey/Magnitude/microdata.csv"));
  std::vector<std::int32_t> sex, age;
  std::vector<double> savings, key;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string x; std::getline(s, x, ';');) f.push_back(x);
    if (f.size() < 6) continue;
    sex.push_back(std::stoi(f[0]) - 1), age.push_back(std::stoi(f[1]) - 1);
    savings.push_back(std::stod(f[3])), key.push_back(std::stod(f[5]));
  }
  Table t;
  t.add_column(Column::categorical("sex", sex, {"1", "2"}));
  t.add_column(Column::categorical("age", age, {"1", "2", "3", "4", "5", "6"}));
  t.add_column(Column::numeric("savings", savings));
  t.add_column(Column::numeric("key", key));
  return t;
}

TEST(CellKeyMagnitude, SavingsMicrodataProperties) {
  const Table r = savings_microdata();
  ASSERT_EQ(r.num_rows(), 4580u);
  const PerturbationTable p =
      magnitude_table("ptab_savings_all.txt").with_rows(magnitude_table("ptab_savings_smallcells.txt"), PTableType::kSmallCells);
  const MagnitudeParams m = tau_argus_scaling(3);
  TabulateOptions o;
  o.value = "savings";
  o.top_contributions = 3;
  CellKeyOptions ko;
  ko.skip_zero_column = "savings";  // <INCLUDEZEROS> N
  const Tabulation both = tabulate(r, {{"sex"}, {"age"}}, o);
  const Tabulation sex_only = tabulate(r, {{"sex"}}, o);
  const CellKeyResult a = perturb_magnitudes(both, cell_keys(both, r, "key", ko), p, m);
  const CellKeyResult b = perturb_magnitudes(sex_only, cell_keys(sex_only, r, "key", ko), p, m);
  EXPECT_EQ(perturb_magnitudes(both, cell_keys(both, r, "key", ko), p, m).noise, a.noise);  // deterministic
  for (const std::string s : {"1", "2", "Total"}) {  // (sex, age Total) is the cell of the 1-D table
    const std::size_t i = both.index({*both.dimensions()[0].find(s), both.dimensions()[1].root()});
    EXPECT_EQ(a.noise[i], b.noise[sex_only.index({*sex_only.dimensions()[0].find(s)})]) << s;
  }
  // Bound: each of the top 3 gets at most |v| <= 8 (small cells) or 5 times its delta, which is
  // 1 for small contributions and at most epsilon_j * 0.3 * x_j otherwise.
  std::size_t moved = 0;
  for (std::size_t c = 0; c < both.num_cells(); ++c) {
    const TabularCell& cell = both.cell(c);
    double bound = 0;
    for (std::size_t j = 0; j < cell.top.size(); ++j) bound += 8 * std::max(1.0, m.epsilon[j] * 0.3 * cell.top[j]);
    EXPECT_LE(std::fabs(a.noise[c]), bound + 1e-9) << both.label(c);
    EXPECT_GE(a.value[c], 0) << both.label(c);
    moved += a.noise[c] != 0;
  }
  EXPECT_GT(moved, both.num_cells() / 2);  // noise is the rule, not the exception
}

}  // namespace
}  // namespace sdcore
