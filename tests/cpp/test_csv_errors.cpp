// Every malformed input raises ParseError naming file, line, column and the offending text.
// Locations are counted by hand from the input text.

#include <gtest/gtest.h>

#include "sdcore/error.hpp"
#include "sdcore/io/csv.hpp"
#include "test_support.hpp"

using namespace sdcore;

namespace {
ParseError parse_error(const std::string& text, const CsvReadOptions& opt = {}) {
  try {
    read_csv_text(text, opt, "in.csv");
  } catch (const ParseError& e) {
    return e;
  }
  ADD_FAILURE() << "no ParseError for: " << text;
  return ParseError("", 0, 0, "", "");
}
}  // namespace

TEST(CsvErrors, RaggedRowTooManyFields) {
  const auto e = parse_error("a,b\n1,2\n3,4,5\n");
  EXPECT_EQ(e.file(), "in.csv");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 3);
  EXPECT_EQ(e.text(), "3,4,5\n");
  EXPECT_NE(std::string(e.what()).find("in.csv:3:3: expected 2 fields, found 3"), std::string::npos)
      << e.what();
}

TEST(CsvErrors, RaggedRowTooFewFields) {
  const auto e = parse_error("a,b,c\n1,2\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 3);
}

TEST(CsvErrors, UnterminatedQuoteReportsWhereItOpened) {
  const auto e = parse_error("a,b\n1,2\n3,\"open\n4,5\n");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 2);
  EXPECT_NE(std::string(e.what()).find("unterminated"), std::string::npos);
}

TEST(CsvErrors, BadNumberInNumericColumn) {
  CsvReadOptions opt;
  opt.column_types["age"] = ColumnType::kNumeric;
  const auto e = parse_error("id,age\nx,34\ny,4o\n", opt);
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 2);
  EXPECT_EQ(e.text(), "4o");
  EXPECT_NE(std::string(e.what()).find("bad number in numeric column 'age'"), std::string::npos);
}

TEST(CsvErrors, DuplicateHeader) {
  const auto e = parse_error("a,b,a\n1,2,3\n");
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 3);
  EXPECT_EQ(e.text(), "a");
}

TEST(CsvErrors, EmptyHeaderName) {
  const auto e = parse_error("a,,c\n1,2,3\n");
  EXPECT_EQ(e.column(), 2);
}

TEST(CsvErrors, InvalidUtf8) {
  const auto e = parse_error("a,b\nok,caf\xC3\n");  // truncated two-byte sequence
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 2);
  EXPECT_NE(std::string(e.what()).find("\\xC3"), std::string::npos) << e.what();
  EXPECT_EQ(parse_error("a\n\xED\xA0\x80\n").line(), 2);  // UTF-16 surrogate
  EXPECT_EQ(parse_error("a\n\xC0\xAF\n").line(), 2);      // overlong '/'
}

TEST(CsvErrors, NulByte) {
  const auto e = parse_error(std::string("a,b\n1,x\0y\n", 10));
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 2);
}

TEST(CsvErrors, QuoteInsideUnquotedField) {
  const auto e = parse_error("a\n5'10\"\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 1);
}

TEST(CsvErrors, TextAfterClosingQuote) {
  const auto e = parse_error("a,b\n\"x\"y,1\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 1);
}

TEST(CsvErrors, LineNumbersCountQuotedNewlines) {
  // Record 2 spans lines 2-3, so the ragged record starts on line 4.
  const auto e = parse_error("a,b\n\"x\ny\",1\n1,2,3\n");
  EXPECT_EQ(e.line(), 4);
}

TEST(CsvErrors, EmptyFileAndBlankHeader) {
  EXPECT_EQ(parse_error("").line(), 1);
  EXPECT_EQ(parse_error("\na,b\n").line(), 1);
}

TEST(CsvErrors, BlankLineInsideData) {
  EXPECT_EQ(parse_error("a,b\n1,2\n\n3,4\n").line(), 3);
}

TEST(CsvErrors, AmbiguousDelimiter) {
  EXPECT_THROW(read_csv_text("a,b;c\n1,2;3\n"), ParseError);
  CsvReadOptions opt;
  opt.delimiter = ';';
  EXPECT_EQ(read_csv_text("a,b;c\n1,2;3\n", opt).num_columns(), 2u);
}

TEST(CsvErrors, BadOptionsAndMissingFile) {
  CsvReadOptions opt;
  opt.column_types["nope"] = ColumnType::kNumeric;
  EXPECT_THROW(read_csv_text("a\n1\n", opt), InvalidArgument);
  CsvReadOptions bad;
  bad.delimiter = 'x';
  EXPECT_THROW(read_csv_text("a\n1\n", bad), InvalidArgument);
  EXPECT_THROW(read_csv("/nonexistent/file.csv"), IoError);
}

TEST(CsvErrors, ErrorInLargeFileAcrossBufferRefills) {
  // 3 MB of good rows (the reader's buffer is 1 MiB), then a ragged one.
  std::string text = "a,b\n";
  const int good = 300000;
  for (int i = 0; i < good; ++i) text += "abc,123\n";
  text += "1,2,3\n";
  const auto e = parse_error(text);
  EXPECT_EQ(e.line(), good + 2);
}
