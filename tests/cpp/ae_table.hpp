#pragma once
// One month of NHS England's A&E statistics (shared/data/nhsr/ae_attendances.csv) as a
// tabulation, for the secondary suppression tests (test_secondary_tables.cpp,
// test_secondary_modular.cpp).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sdcore/io/csv.hpp"
#include "sdcore/tabular.hpp"
#include "test_support.hpp"

namespace sdcore::test {

// A categorical column from text, categories sorted.
inline Column categorical(const std::string& name, const std::vector<std::string>& text) {
  std::vector<std::string> categories(text);
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  std::vector<std::int32_t> codes;
  for (const std::string& s : text) {
    codes.push_back(static_cast<std::int32_t>(std::lower_bound(categories.begin(), categories.end(), s) - categories.begin()));
  }
  return Column::categorical(name, std::move(codes), std::move(categories));
}

// Provider x type with margins (flat dimensions, totals "All"), over the providers that report
// that month (for 2019-03: 226 providers + total, 3 types + total = 908 cells).
inline Tabulation ae_month(const std::string& period, const std::string& value) {
  CsvReadOptions ro;
  ro.column_types = {{"period", ColumnType::kCategorical}, {"org_code", ColumnType::kCategorical},
                     {"type", ColumnType::kCategorical}};
  const Table all = read_csv(shared_data("nhsr/ae_attendances.csv"), ro);
  std::vector<std::string> org, type;
  std::vector<double> v;
  for (std::size_t r = 0; r < all.num_rows(); ++r) {
    if (all.column("period").format(r) != period) continue;
    org.push_back(all.column("org_code").format(r));
    type.push_back(all.column("type").format(r));
    v.push_back(all.column(value).values()[r]);
  }
  Table ae;
  ae.add_column(categorical("org_code", org));
  ae.add_column(categorical("type", type));
  ae.add_column(Column::numeric(value, v));
  const auto flat = [&](const char* name) {
    return LongDimension{name, Dimension::flat(name, ae.column(name).categories(), "All")};
  };
  return tabulation_from_long(ae, {flat("org_code"), flat("type")}, value);
}

}  // namespace sdcore::test
