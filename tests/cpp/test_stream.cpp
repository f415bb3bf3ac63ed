// Reading a CSV file in blocks (read_csv_blocks) and counting its key combinations block by block
// (count_combinations_csv). The reference is the whole file read into memory by read_csv (the
// two-pass reader, another code path) and counted by a std::map: a second, naive implementation.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "sdcore/risk.hpp"
#include "sdcore/stream.hpp"
#include "test_support.hpp"

namespace sdcore {
namespace {

using test::Rng;

// Naive counts: combination (as text, "<NA>" for missing) -> records and weight sum, plus the
// combinations in order of first appearance.
struct NaiveCounts {
  std::map<std::vector<std::string>, std::pair<std::int64_t, double>> by_key;
  std::vector<std::vector<std::string>> order;
};

NaiveCounts naive(const Table& t, const std::vector<std::string>& keys, const std::string& weight) {
  NaiveCounts out;
  std::vector<std::vector<std::string>> text;
  for (const auto& k : keys) text.push_back(test::texts(t, k));
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    std::vector<std::string> key;
    for (const auto& col : text) key.push_back(col[i]);
    auto [it, fresh] = out.by_key.try_emplace(key, 0, 0.0);
    if (fresh) out.order.push_back(key);
    it->second.first += 1;
    if (!weight.empty()) it->second.second += t.column(weight).values()[i];
  }
  return out;
}

std::string random_csv(Rng& rng, std::size_t rows) {
  // Values that exercise the tokenizer: quotes, delimiters and line ends inside quotes, missing.
  const std::vector<std::string> pool = {"a", "b", "\"c,d\"", "\"line\nbreak\"", "", "\"say \"\"hi\"\"\"", "10", "010"};
  std::string csv = "k1,other,k2,w,k3\n";
  for (std::size_t i = 0; i < rows; ++i) {
    csv += pool[rng.below(pool.size())] + ",x" + std::to_string(rng.below(1000)) + "," + pool[rng.below(4)] + "," +
           std::to_string(0.5 + static_cast<double>(rng.below(100)) / 8) + "," + pool[rng.below(pool.size())] + "\n";
  }
  return csv;
}

CsvReadOptions typed_read() {
  CsvReadOptions o;
  for (const char* k : {"k1", "k2", "k3", "other"}) o.column_types[k] = ColumnType::kCategorical;
  o.column_types["w"] = ColumnType::kNumeric;
  return o;
}

TEST(ReadCsvBlocks, BlocksReassembleTheWholeFile) {
  test::TempDir dir;
  Rng rng{11};
  for (int round = 0; round < test::long_run(40); ++round) {
    const std::size_t rows = 1 + rng.below(120);
    const std::string path = dir.file("in.csv");
    test::write_text(path, random_csv(rng, rows));
    const Table whole = read_csv(path, typed_read());
    const std::size_t block_rows = 1 + rng.below(40);
    std::vector<std::string> k3, k1;
    std::vector<double> w;
    std::size_t blocks = 0, seen = 0;
    read_csv_blocks(
        path, {"k3", "w", "k1"}, block_rows,
        [&](const CsvBlock& b) {
          EXPECT_EQ(b.first_record, seen);
          EXPECT_LE(b.rows, block_rows);
          EXPECT_EQ(b.field, (std::vector<std::int64_t>{5, 4, 1}));
          EXPECT_TRUE(b.codes[1].empty());
          for (std::size_t i = 0; i < b.rows; ++i) {
            const auto c3 = b.codes[0][i], c1 = b.codes[2][i];
            k3.push_back(c3 < 0 ? "<NA>" : std::string(b.categories[0][static_cast<std::size_t>(c3)]));
            k1.push_back(c1 < 0 ? "<NA>" : std::string(b.categories[2][static_cast<std::size_t>(c1)]));
            w.push_back(b.values[1][i]);
          }
          seen += b.rows;
          ++blocks;
        },
        typed_read());
    EXPECT_EQ(seen, rows);
    EXPECT_EQ(blocks, (rows + block_rows - 1) / block_rows);
    EXPECT_EQ(k3, test::texts(whole, "k3"));
    EXPECT_EQ(k1, test::texts(whole, "k1"));
    EXPECT_EQ(w, std::vector<double>(whole.column("w").values().begin(), whole.column("w").values().end()));
  }
}

TEST(ReadCsvBlocks, LinesAndErrorsAreTheFilesOwn) {
  test::TempDir dir;
  const std::string path = dir.file("in.csv");
  // Record 2 spans lines 3-4; record 3 starts on line 5 (counted by hand).
  test::write_text(path, "a,b\n1,x\n\"2\nmore\",y\n3,z\n");
  std::vector<std::int64_t> lines;
  read_csv_blocks(path, {"b"}, 2, [&](const CsvBlock& b) { lines.insert(lines.end(), b.lines.begin(), b.lines.end()); });
  EXPECT_EQ(lines, (std::vector<std::int64_t>{2, 3, 5}));

  test::write_text(path, "a,b\n1,x\n2,y\nthree,z\n");
  CsvReadOptions numeric;
  numeric.column_types["a"] = ColumnType::kNumeric;
  try {
    read_csv_blocks(path, {"a"}, 1, [](const CsvBlock&) {}, numeric);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.column(), 1);
    EXPECT_EQ(e.text(), "three");
  }
  test::write_text(path, "a,b\n1,x\n2\n");
  EXPECT_THROW(read_csv_blocks(path, {"b"}, 8, [](const CsvBlock&) {}), ParseError);
  EXPECT_NE(test::error_of([&] { read_csv_blocks(path, {"c"}, 8, [](const CsvBlock&) {}); })
                .find("no column named 'c' in " + path + " (columns: a, b)"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { read_csv_blocks(path, {"a", "a"}, 8, [](const CsvBlock&) {}); }).find("twice"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { read_csv_blocks(path, {"a"}, 0, [](const CsvBlock&) {}); }).find("block_rows"),
            std::string::npos);
}

TEST(CountCombinationsCsv, EqualsNaiveCountsOfTheWholeFile) {
  test::TempDir dir;
  Rng rng{29};
  for (int round = 0; round < test::long_run(60); ++round) {
    const std::size_t rows = 1 + rng.below(300);
    const std::string path = dir.file("in.csv");
    test::write_text(path, random_csv(rng, rows));
    const std::vector<std::string> keys = rng.below(2) ? std::vector<std::string>{"k1", "k3"}
                                                       : std::vector<std::string>{"k2", "k1", "k3"};
    const std::string weight = rng.below(3) ? "w" : "";
    CombinationCountOptions o;
    o.block_rows = 1 + rng.below(50);
    o.max_pending = 1 + rng.below(120);  // small: merges happen mid-file
    o.threads = 1 + rng.below(2);
    const Table counts = count_combinations_csv(path, keys, weight, o);
    const NaiveCounts want = naive(read_csv(path, typed_read()), keys, weight);

    ASSERT_EQ(counts.num_rows(), want.order.size()) << "round " << round;
    std::vector<std::vector<std::string>> key_text;
    for (const auto& k : keys) key_text.push_back(test::texts(counts, k));
    for (std::size_t r = 0; r < counts.num_rows(); ++r) {
      std::vector<std::string> key;
      for (const auto& col : key_text) key.push_back(col[r]);
      EXPECT_EQ(key, want.order[r]) << "first-appearance order, round " << round;
      const auto& [n, wsum] = want.by_key.at(key);
      EXPECT_EQ(counts.column("n").values()[r], static_cast<double>(n));
      if (!weight.empty()) {
        EXPECT_NEAR(counts.column("weight_sum").values()[r], wsum, 1e-9 * wsum);
      }
    }
    EXPECT_EQ(counts.find("weight_sum").has_value(), !weight.empty());
  }
}

TEST(CountCombinationsCsv, RiskOfTheCountsIsRiskOfTheFile) {
  test::TempDir dir;
  Rng rng{5};
  const std::string path = dir.file("in.csv");
  test::write_text(path, random_csv(rng, 2000));
  const std::vector<std::string> keys = {"k1", "k2", "k3"};
  CombinationCountOptions o;
  o.block_rows = 97;
  o.max_pending = 50;
  const Table counts = count_combinations_csv(path, keys, "w", o);
  const auto n = whole_counts(counts, "n");
  RiskOptions agg;
  agg.frequency = n;
  const RiskSummary s = measure_risk(counts, keys, "weight_sum", "", agg).summary;
  const RiskSummary want = measure_risk(read_csv(path, typed_read()), keys, "w").summary;
  EXPECT_EQ(s.records, 2000);
  EXPECT_EQ(s.records, want.records);
  EXPECT_EQ(s.classes, want.classes);
  EXPECT_EQ(s.sample_uniques, want.sample_uniques);
  EXPECT_EQ(s.records_below_k, want.records_below_k);
  EXPECT_NEAR(s.expected_reidentifications, want.expected_reidentifications, 1e-9 * want.expected_reidentifications);
  EXPECT_NEAR(s.max_risk, want.max_risk, 1e-12);
}

TEST(CountCombinationsCsv, RefusesWhatItCannotCount) {
  test::TempDir dir;
  const std::string path = dir.file("in.csv");
  test::write_text(path, "k,n,w\na,1,2\nb,1,0\n");
  try {  // the zero weight, located in the file: line 3, field 3
    count_combinations_csv(path, {"k"}, "w");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 3);
    EXPECT_NE(std::string(e.what()).find("is zero"), std::string::npos) << e.what();
  }
  test::write_text(path, "k,n,w\na,1,2\nb,1,\n");
  EXPECT_NE(std::string(test::error_of([&] {
              try {
                count_combinations_csv(path, {"k"}, "w");
              } catch (const ParseError& e) {
                throw InvalidArgument(e.what());
              }
            })).find(path + ":3:3: weight in column 'w' is missing"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { count_combinations_csv(path, {"n"}); }).find("name of a result column"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { count_combinations_csv(path, {}); }).find("no key columns"), std::string::npos);
  EXPECT_NE(test::error_of([&] { count_combinations_csv(path, {"w"}, "w"); }).find("both a key and the weight"),
            std::string::npos);
  CombinationCountOptions typed;
  typed.read.column_types["k"] = ColumnType::kNumeric;
  EXPECT_NE(test::error_of([&] { count_combinations_csv(path, {"k"}, "", typed); }).find("cannot be typed numeric"),
            std::string::npos);
  test::write_text(path, "k,n,w\n");
  EXPECT_NE(test::error_of([&] { count_combinations_csv(path, {"k"}); }).find("has no records"), std::string::npos);
  Table t;
  t.add_column(Column::numeric("n", {1, 2.5}));
  EXPECT_NE(test::error_of([&] { whole_counts(t, "n"); }).find("row 2"), std::string::npos);
}

}  // namespace
}  // namespace sdcore
