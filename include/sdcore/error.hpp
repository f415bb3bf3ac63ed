#pragma once
/// \file error.hpp
/// The exception types sdcore throws. Every failure is one of these, so a caller (and the CLI,
/// which maps each to its own exit code) can tell bad input from bad arguments from I/O trouble.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace sdcore {

/// Base of sdcore's runtime failures (anything that is not a bad argument).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parameter is out of range or inconsistent (k < 1, unknown column, bad weight, ...).
/// Raised before any work is done. Maps to Python's ValueError.
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Malformed input text. Carries where it is: file, 1-based physical line, 1-based field
/// (column) number — 0 when the problem is not tied to one field — and the offending text,
/// with non-printable bytes escaped as \xNN.
///
/// Example message: `data.csv:17:3: bad number in numeric column 'age': "4o"`
class ParseError : public Error {
 public:
  ParseError(std::string file, std::int64_t line, std::int64_t column, std::string text,
             const std::string& what);
  const std::string& file() const noexcept { return file_; }
  std::int64_t line() const noexcept { return line_; }
  std::int64_t column() const noexcept { return column_; }
  const std::string& text() const noexcept { return text_; }

 private:
  std::string file_;
  std::int64_t line_;
  std::int64_t column_;
  std::string text_;
};

/// A computation given a time limit ran out of time where a partial answer would be unsafe to
/// use (the audit: a table audited in part proves nothing). Nothing is returned. Maps to
/// Python's TimeoutError.
class TimeLimitReached : public Error {
 public:
  using Error::Error;
};

/// A file could not be opened, read, written or renamed. Carries the path and the system's
/// reason. Maps to Python's OSError.
class IoError : public Error {
 public:
  IoError(std::string path, const std::string& what);
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace sdcore
