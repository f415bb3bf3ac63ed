// Property test: random tables of awkward strings are encoded to CSV by a simple, independent
// encoder written here (random quoting, random line ends, an optional BOM) and read back; the
// reader must return exactly the strings that were encoded. Some texts exceed the reader's
// 1 MiB buffer so that records straddle refills. Then the writer's output must read back to the
// same strings again.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {

std::string random_field(std::mt19937_64& rng, bool big) {
  static const std::vector<std::string> atoms = {
      "a", "b", "Z", "0", "7", " ", ",", ";", "\"", "\n", "\r\n", "\t", "|", "é", "€", "😀", "NA", "x y"};
  std::size_t len = rng() % 6;
  if (big) len = 20000 + rng() % 20000;
  std::string s;
  for (std::size_t i = 0; i < len; ++i) s += atoms[rng() % atoms.size()];
  return s;
}

bool needs_quotes(const std::string& s, char delim) {
  if (s.empty()) return true;  // an unquoted empty field would be read as missing
  for (char c : s) {
    if (c == delim || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

std::string encode(const std::vector<std::vector<std::string>>& rows, char delim, bool crlf,
                   bool bom, std::mt19937_64& rng) {
  std::string out = bom ? "\xEF\xBB\xBF" : "";
  for (const auto& row : rows) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (j) out += delim;
      if (needs_quotes(row[j], delim) || rng() % 4 == 0) {
        out += '"';
        for (char c : row[j]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
      } else {
        out += row[j];
      }
    }
    out += crlf ? "\r\n" : "\n";
  }
  return out;
}

}  // namespace

TEST(CsvProperty, RandomTablesReadBackExactly) {
  std::mt19937_64 rng(20261123);
  const std::string delims = ",;\t|";
  for (int trial = 0; trial < test::long_run(300); ++trial) {
    const std::size_t ncol = 1 + rng() % 5;
    const bool big = trial % 50 == 0;
    const std::size_t nrow = big ? 60 : rng() % 30;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header;
    for (std::size_t j = 0; j < ncol; ++j) header.push_back("c" + std::to_string(j));
    rows.push_back(header);
    for (std::size_t i = 0; i < nrow; ++i) {
      std::vector<std::string> r;
      for (std::size_t j = 0; j < ncol; ++j) r.push_back(random_field(rng, big && rng() % 3 == 0));
      rows.push_back(r);
    }
    const char delim = delims[rng() % delims.size()];
    const std::string text = encode(rows, delim, rng() % 2 == 0, rng() % 5 == 0, rng);

    CsvReadOptions opt;
    opt.delimiter = delim;
    opt.infer_types = false;  // compare as text
    const Table t = read_csv_text(text, opt);
    ASSERT_EQ(t.num_rows(), nrow) << "trial " << trial;
    ASSERT_EQ(t.num_columns(), ncol);
    for (std::size_t j = 0; j < ncol; ++j) {
      for (std::size_t i = 0; i < nrow; ++i) {
        ASSERT_FALSE(t.column(j).is_missing(i));
        ASSERT_EQ(t.column(j).format(i), rows[i + 1][j]) << "trial " << trial << " row " << i;
      }
    }
    // The writer's output reads back to the same strings.
    CsvWriteOptions wopt;
    wopt.delimiter = delim;
    const Table back = read_csv_text(write_csv_text(t, wopt), opt);
    ASSERT_EQ(back.num_rows(), nrow);
    for (std::size_t j = 0; j < ncol; ++j) {
      for (std::size_t i = 0; i < nrow; ++i) ASSERT_EQ(back.column(j).format(i), rows[i + 1][j]);
    }
  }
}

TEST(CsvProperty, RandomNumbersRoundTripExactly) {
  std::mt19937_64 rng(7);
  std::string text = "x\n";
  std::vector<double> expected;
  for (int i = 0; i < 5000; ++i) {
    double v;
    std::uint64_t bits = rng();
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    expected.push_back(v);
    text += format_number(v) + "\n";
  }
  const Table t = read_csv_text(text);
  ASSERT_FALSE(t.column("x").is_categorical());
  const auto values = t.column("x").values();
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(values[i], expected[i]);
  EXPECT_EQ(write_csv_text(t), text);
}
