#pragma once
// Splits CSV bytes into records of fields (RFC 4180), through a buffer that holds at least one
// whole record. Fields are views into that buffer, valid until the next call to next(); no
// allocation happens per record once the buffer and the field list have grown to size.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detail/byte_source.hpp"

namespace sdcore::detail {

struct FieldRef {
  std::string_view raw;   // text between the quotes for a quoted field; "" pairs not yet undone
  bool quoted = false;
  bool escaped = false;   // raw holds "" pairs
  std::int64_t line = 0;  // physical line the field starts on
};

class CsvTokenizer {
 public:
  CsvTokenizer(ByteSource& source, std::string name, char delimiter);

  // Reads the next record; false at the end of input. A blank line is a record with no fields.
  // Throws ParseError for an unterminated quote, a stray quote, a NUL byte or invalid UTF-8.
  bool next();

  const std::vector<FieldRef>& fields() const noexcept { return fields_; }
  std::int64_t line() const noexcept { return record_line_; }
  std::string_view record_text() const noexcept { return record_; }
  // Bytes of the source consumed so far (for progress).
  std::uint64_t consumed() const noexcept { return consumed_; }

  // The field's value with "" pairs undone (scratch is used only when needed).
  static std::string_view value(const FieldRef& field, std::string& scratch);

  [[noreturn]] void fail(std::int64_t line, std::int64_t column, std::string_view text,
                         const std::string& message) const;

 private:
  enum class Status { kRecord, kNeedMore, kEnd };
  Status parse();
  bool refill();
  void check_utf8() const;

  ByteSource& source_;
  std::string name_;
  char delim_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;  // start of the unparsed data
  std::size_t end_ = 0;  // end of the valid data
  bool eof_ = false;
  bool started_ = false;
  std::int64_t line_ = 1;  // line of the next record
  std::int64_t record_line_ = 0;
  std::uint64_t consumed_ = 0;
  std::string_view record_;
  std::vector<FieldRef> fields_;
};

}  // namespace sdcore::detail
