#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sdcore/error.hpp"
#include "sdcore/table.hpp"

using namespace sdcore;

TEST(Column, CategoricalValidatesCodesAndCategories) {
  EXPECT_THROW(Column::categorical("a", {0, 2}, {"x", "y"}), InvalidArgument);
  EXPECT_THROW(Column::categorical("a", {-2}, {"x"}), InvalidArgument);
  EXPECT_THROW(Column::categorical("a", {0}, {"x", "x"}), InvalidArgument);
  const Column c = Column::categorical("a", {1, -1, 0}, {"x", "y"});
  EXPECT_EQ(c.format(0), "y");
  EXPECT_TRUE(c.is_missing(1));
  EXPECT_EQ(c.format(2), "x");
  EXPECT_THROW(c.values(), InvalidArgument);
}

TEST(Column, NumericRefusesInfinity) {
  EXPECT_THROW(Column::numeric("a", {1.0, std::numeric_limits<double>::infinity()}), InvalidArgument);
  const Column c = Column::numeric("a", {1.5, std::nan("")});
  EXPECT_TRUE(c.is_missing(1));
  EXPECT_THROW(c.codes(), InvalidArgument);
}

TEST(Table, RejectsDuplicateNamesAndLengthMismatch) {
  Table t;
  t.add_column(Column::numeric("a", {1, 2}));
  EXPECT_THROW(t.add_column(Column::numeric("a", {1, 2})), InvalidArgument);
  EXPECT_THROW(t.add_column(Column::numeric("b", {1})), InvalidArgument);
  EXPECT_EQ(t.num_rows(), 2u);
  try {
    t.column("zz");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("columns: a"), std::string::npos) << e.what();
  }
}

TEST(FormatNumber, ShortestRoundTrip) {
  // Expected strings by hand: shortest decimal that reads back to the same double.
  EXPECT_EQ(format_number(5.0), "5");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(-2.5), "-2.5");
  EXPECT_EQ(format_number(1e21), "1e+21");
  EXPECT_EQ(format_number(std::nan("")), "");
}

TEST(Factorize, SortedDistinctValuesMissingKept) {
  const Column c = Column::numeric("x", {3, 1, std::nan(""), 3, -0.0, 0.0});
  const Column f = factorize(c);
  ASSERT_TRUE(f.is_categorical());
  EXPECT_EQ(f.categories(), (std::vector<std::string>{"0", "1", "3"}));
  const std::vector<std::int32_t> expected{2, 1, -1, 2, 0, 0};
  EXPECT_EQ(std::vector<std::int32_t>(f.codes().begin(), f.codes().end()), expected);
}
