#pragma once
// Small text utilities shared by the readers, writers and error messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sdcore::detail {

// The text in double quotes for an error message: at most `max_len` bytes, bytes outside
// printable ASCII (and any invalid UTF-8) escaped as \xNN, so a message never carries raw
// control characters or broken encodings to a terminal.
std::string quote(std::string_view text, std::size_t max_len = 60);

// Offset of the first byte that does not belong to valid UTF-8 (overlongs, surrogates and code
// points above U+10FFFF are invalid), or npos if `text` is valid.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

// Strict number syntax: optional '-', digits with an optional decimal separator `decimal`
// ('.' or ','), optional exponent. No '+', no spaces, no "inf"/"nan", finite result.
bool parse_number(std::string_view text, char decimal, double& out) noexcept;

// True if a number written like `text` keeps all its information as a double: no leading
// zero before another digit (as in "007", an identifier, not a quantity).
bool has_no_leading_zero(std::string_view text) noexcept;

// A number for messages: shortest form up to 12 significant digits, "inf" / "-inf".
std::string format_number(double x);

// Throws InvalidArgument "<what> '<name>' is listed twice" for the first name that repeats one
// before it (column lists given by the caller: quasi-identifiers, keys, requested columns).
void require_distinct(const std::vector<std::string>& names, const std::string& what);

}  // namespace sdcore::detail
