// Builders of common generalisation hierarchies (see hierarchy.hpp). Each level's label is a
// function of the previous level's label alone, which is what makes the result a chain.

#include <algorithm>
#include <cmath>
#include <set>

#include "sdcore/error.hpp"
#include "sdcore/hierarchy.hpp"

namespace sdcore::hierarchies {
namespace {

using Rows = std::vector<std::vector<std::string>>;

std::vector<std::string> distinct(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::string interval_label(double lo, double width, bool whole) {
  if (whole) return format_number(lo) + "-" + format_number(lo + width - 1);
  return "[" + format_number(lo) + ", " + format_number(lo + width) + ")";
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_date(const std::string& d, int& year, int& month) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  year = std::stoi(d.substr(0, 4));
  month = std::stoi(d.substr(5, 2));
  const int day = std::stoi(d.substr(8, 2));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
}

// Postcode one level coarser: the outward code, then one character less until only the area's
// letters are left.
std::string coarser_postcode(const std::string& label) {
  const auto space = label.find(' ');
  if (space != std::string::npos) return label.substr(0, space);
  const auto area = label.find_first_of("0123456789");
  if (area == std::string::npos || area == 0) return label;  // already the area (or no letters)
  return label.substr(0, label.size() - 1);
}

}  // namespace

Hierarchy intervals(const std::string& attribute, const std::vector<double>& values,
                    const std::vector<double>& widths, double origin, double bottom, double top) {
  if (widths.empty()) throw InvalidArgument("intervals: give at least one width");
  for (std::size_t k = 0; k < widths.size(); ++k) {
    if (!(widths[k] > 0) || !std::isfinite(widths[k])) throw InvalidArgument("intervals: widths must be positive");
    if (k > 0) {
      const double ratio = widths[k] / widths[k - 1];
      if (ratio < 1 || ratio != std::floor(ratio)) {
        throw InvalidArgument("intervals: each width must be a whole multiple of the one before");
      }
    }
  }
  if (!std::isnan(bottom) && !std::isnan(top) && !(bottom < top)) {
    throw InvalidArgument("intervals: bottom must lie below top");
  }
  std::set<double> distinct_values;
  for (double v : values) {
    if (std::isinf(v)) throw InvalidArgument("intervals: infinite value");
    if (!std::isnan(v)) distinct_values.insert(v == 0 ? 0.0 : v);
  }
  bool whole = true;
  for (double v : distinct_values) whole &= v == std::floor(v);
  for (double w : widths) whole &= w == std::floor(w);
  whole &= origin == std::floor(origin);
  Rows rows;
  for (double v : distinct_values) {
    std::vector<std::string> row{format_number(v)};
    for (double w : widths) {
      if (!std::isnan(bottom) && v < bottom) row.push_back("<" + format_number(bottom));
      else if (!std::isnan(top) && v >= top) row.push_back(">=" + format_number(top));
      else row.push_back(interval_label(origin + std::floor((v - origin) / w) * w, w, whole));
    }
    row.push_back("*");
    rows.push_back(std::move(row));
  }
  return Hierarchy::from_rows(attribute, rows);
}

Hierarchy dates(const std::string& attribute, const std::vector<std::string>& values) {
  Rows rows;
  for (const auto& d : distinct(values)) {
    int year = 0, month = 0;
    if (!valid_date(d, year, month)) {
      throw InvalidArgument("dates: '" + d + "' is not a calendar date of the form YYYY-MM-DD");
    }
    rows.push_back({d, d.substr(0, 7), d.substr(0, 4) + "-Q" + std::to_string((month - 1) / 3 + 1), d.substr(0, 4), "*"});
  }
  return Hierarchy::from_rows(attribute, rows);
}

Hierarchy postcodes(const std::string& attribute, const std::vector<std::string>& values) {
  const auto vs = distinct(values);
  std::size_t depth = 0;  // levels needed to reach the area from any value
  for (const auto& v : vs) {
    std::size_t d = 0;
    for (std::string l = v; coarser_postcode(l) != l; l = coarser_postcode(l)) ++d;
    depth = std::max(depth, d);
  }
  Rows rows;
  for (const auto& v : vs) {
    std::vector<std::string> row{v};
    for (std::size_t k = 0; k < depth; ++k) row.push_back(coarser_postcode(row.back()));
    row.push_back("*");
    rows.push_back(std::move(row));
  }
  return Hierarchy::from_rows(attribute, rows);
}

Hierarchy mask_right(const std::string& attribute, const std::vector<std::string>& values, char mask) {
  const auto vs = distinct(values);
  std::size_t longest = 0;
  for (const auto& v : vs) longest = std::max(longest, v.size());
  Rows rows;
  for (const auto& v : vs) {
    std::vector<std::string> row{v};
    for (std::size_t k = 1; k <= longest; ++k) {
      std::string l = v;
      for (std::size_t i = 0; i < std::min(k, l.size()); ++i) l[l.size() - 1 - i] = mask;
      row.push_back(l);
    }
    row.push_back("*");
    rows.push_back(std::move(row));
  }
  return Hierarchy::from_rows(attribute, rows);
}

}  // namespace sdcore::hierarchies
