// Feature tests of the CSV reader and writer. Expected values are read off the input text by
// hand.

#include <gtest/gtest.h>

#include <cmath>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

using namespace sdcore;
using sdcore::test::texts;

TEST(CsvRead, InfersTypesAndKeepsOrder) {
  const Table t = read_csv_text("id,age,sex\nA,34,F\nB,,M\nC,7.5,F\n");
  ASSERT_EQ(t.num_rows(), 3u);
  ASSERT_EQ(t.num_columns(), 3u);
  EXPECT_TRUE(t.column("id").is_categorical());
  EXPECT_FALSE(t.column("age").is_categorical());
  EXPECT_EQ(t.column("age").values()[0], 34.0);
  EXPECT_TRUE(std::isnan(t.column("age").values()[1]));
  EXPECT_EQ(t.column("sex").categories(), (std::vector<std::string>{"F", "M"}));
  EXPECT_EQ(texts(t, "sex"), (std::vector<std::string>{"F", "M", "F"}));
}

TEST(CsvRead, QuotingPerRfc4180) {
  const Table t = read_csv_text(
      "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\n", {});
  EXPECT_EQ(texts(t, "a"), (std::vector<std::string>{"x, y", "two\nlines"}));
  // A quoted empty field is an empty string, not missing.
  EXPECT_EQ(texts(t, "b"), (std::vector<std::string>{"say \"hi\"", ""}));
}

TEST(CsvRead, DetectsEachDelimiter) {
  for (char d : std::string(",;\t|")) {
    std::string text = "a_b_c\n1_x_2\n";
    for (char& c : text) if (c == '_') c = d;
    const Table t = read_csv_text(text);
    ASSERT_EQ(t.num_columns(), 3u) << "delimiter " << int(d);
    EXPECT_EQ(texts(t, "b"), (std::vector<std::string>{"x"}));
  }
}

TEST(CsvRead, BomCrlfAndLoneCr) {
  const Table t = read_csv_text("\xEF\xBB\xBFname;n\r\nx;1\r\ny;2\rz;3\r\n");
  EXPECT_EQ(t.column(0).name(), "name");  // BOM not part of the first name
  EXPECT_EQ(texts(t, "name"), (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(texts(t, "n"), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(CsvRead, MissingTokensOnlyUnquoted) {
  CsvReadOptions opt;
  opt.missing = {"", "NA", "."};
  const Table t = read_csv_text("a,b\nNA,1\n\"NA\",.\n.,\n", opt);
  EXPECT_EQ(texts(t, "a"), (std::vector<std::string>{"<NA>", "NA", "<NA>"}));
  EXPECT_EQ(texts(t, "b"), (std::vector<std::string>{"1", "<NA>", "<NA>"}));
}

TEST(CsvRead, LeadingZerosStayCategorical) {
  const Table t = read_csv_text("zip,n\n02134,1\n10001,2\n");
  EXPECT_TRUE(t.column("zip").is_categorical());
  EXPECT_EQ(texts(t, "zip"), (std::vector<std::string>{"02134", "10001"}));
  EXPECT_FALSE(t.column("n").is_categorical());
}

TEST(CsvRead, ExplicitTypesOverrideInference) {
  CsvReadOptions opt;
  opt.column_types["code"] = ColumnType::kCategorical;
  opt.column_types["z"] = ColumnType::kNumeric;
  const Table t = read_csv_text("code,z\n1,007\n2,1e3\n", opt);
  EXPECT_TRUE(t.column("code").is_categorical());
  EXPECT_EQ(t.column("z").values()[0], 7.0);
  EXPECT_EQ(t.column("z").values()[1], 1000.0);
  opt.infer_types = false;
  opt.column_types.clear();
  EXPECT_TRUE(read_csv_text("a\n1\n", opt).column("a").is_categorical());
}

TEST(CsvRead, DecimalComma) {
  CsvReadOptions opt;
  opt.decimal = ',';
  const Table t = read_csv_text("x;y\n\"1,5\";-0,25\n", opt);
  EXPECT_EQ(t.column("x").values()[0], 1.5);
  EXPECT_EQ(t.column("y").values()[0], -0.25);
}

TEST(CsvRead, NoHeaderNamesColumns) {
  CsvReadOptions opt;
  opt.header = false;
  const Table t = read_csv_text("a,1\nb,2\n", opt);
  EXPECT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.column(0).name(), "V1");
  EXPECT_EQ(texts(t, "V1"), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvRead, BlankLines) {
  // Trailing blank lines are not data.
  EXPECT_EQ(read_csv_text("a,b\n1,2\n\n\n").num_rows(), 1u);
  // Inside the data they are refused unless asked for.
  EXPECT_THROW(read_csv_text("a,b\n1,2\n\n3,4\n"), ParseError);
  CsvReadOptions opt;
  opt.skip_blank_lines = true;
  EXPECT_EQ(read_csv_text("a,b\n1,2\n\n3,4\n", opt).num_rows(), 2u);
  // In a one-column file a blank line is a missing value: nothing is dropped.
  const Table one = read_csv_text("a\nx\n\ny\n");
  EXPECT_EQ(texts(one, "a"), (std::vector<std::string>{"x", "<NA>", "y"}));
}

TEST(CsvRead, HeaderOnlyGivesEmptyTable) {
  const Table t = read_csv_text("a,b\n");
  EXPECT_EQ(t.num_rows(), 0u);
  EXPECT_EQ(t.num_columns(), 2u);
}

TEST(CsvRead, ProgressReachesTotal) {
  std::string text = "a,b\n";
  for (int i = 0; i < 1000; ++i) text += "x,1\n";
  std::uint64_t last = 0, total = 0;
  CsvReadOptions opt;
  opt.progress = [&](std::uint64_t done, std::uint64_t all) { last = done; total = all; };
  read_csv_text(text, opt);
  EXPECT_EQ(total, 2 * text.size());
  EXPECT_EQ(last, total);  // the last report is completion, however small the file
}

TEST(CsvWrite, RoundTripsValuesAndOrder) {
  const std::string text =
      "name,n,note\n"
      "\"a,b\",1.5,\"\"\n"
      "\"q\"\"uote\",,x\n"
      "\"multi\nline\",-3,\n";
  CsvReadOptions ropt;
  const Table t = read_csv_text(text, ropt);
  const std::string out = write_csv_text(t);
  EXPECT_EQ(out, text);  // already canonical, so byte-identical
  const Table back = read_csv_text(out, ropt);
  for (const auto& c : t.columns()) EXPECT_EQ(texts(back, c.name()), texts(t, c.name()));
}

TEST(CsvWrite, MissingTokenCollisionIsQuoted) {
  CsvReadOptions ropt;
  ropt.missing = {"NA"};
  const Table t = read_csv_text("a\n\"NA\"\nNA\n", ropt);
  CsvWriteOptions wopt;
  wopt.missing = "NA";
  const std::string out = write_csv_text(t, wopt);
  EXPECT_EQ(out, "a\n\"NA\"\nNA\n");
  EXPECT_EQ(texts(read_csv_text(out, ropt), "a"), texts(t, "a"));
}

TEST(CsvRead, SharedAdultAndTestdata) {
  // Row counts from the data folder's README: adult 30,162 rows x 9; testdata 4,580 x 15.
  const Table adult = read_csv(test::shared_data("adult/adult.csv"));
  EXPECT_EQ(adult.num_rows(), 30162u);
  EXPECT_EQ(adult.num_columns(), 9u);
  EXPECT_FALSE(adult.column("age").is_categorical());
  const Table td = read_csv(test::shared_data("sdcmicro/testdata.csv"));
  EXPECT_EQ(td.num_rows(), 4580u);
  EXPECT_EQ(td.num_columns(), 15u);
  EXPECT_EQ(td.column("sampling_weight").values()[0], 100.0);
}

TEST(CsvRead, DictionaryPathsGiveTheSameCodes) {
  // "id" is all distinct (encoded without a hash table); "late" looks numeric until its last
  // value, so pass 1 under-counts its distinct values and the dictionary must grow; "rep"
  // repeats. Expected codes by hand: categories in order of first appearance.
  std::string text = "id,late,rep\n";
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    text += "ID" + std::to_string(i) + "," + std::to_string(i % 700) + "," + (i % 3 ? "b" : "a") + "\n";
  }
  text += "IDlast,x,a\n";
  const Table t = read_csv_text(text);
  const Column& id = t.column("id");
  const Column& late = t.column("late");
  ASSERT_TRUE(late.is_categorical());
  EXPECT_EQ(id.categories().size(), static_cast<std::size_t>(n + 1));
  EXPECT_EQ(late.categories().size(), 701u);
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(id.codes()[static_cast<std::size_t>(i)], i);
    ASSERT_EQ(late.format(static_cast<std::size_t>(i)), std::to_string(i % 700));
    ASSERT_EQ(late.codes()[static_cast<std::size_t>(i)], i % 700);
  }
  EXPECT_EQ(late.format(static_cast<std::size_t>(n)), "x");
  EXPECT_EQ(t.column("rep").categories(), (std::vector<std::string>{"a", "b"}));
}

TEST(CsvRead, FileChangedBetweenPassesIsAnError) {
  test::TempDir dir;
  const auto path = dir.file("in.csv");
  test::write_text(path, "a\nx\ny\n");
  CsvReadOptions opt;
  bool changed = false;
  opt.progress = [&](std::uint64_t, std::uint64_t) {
    if (!changed) test::write_text(path, "a\nx\nx\nz\n");  // during pass 1
    changed = true;
  };
  EXPECT_THROW(read_csv(path, opt), Error);
}
