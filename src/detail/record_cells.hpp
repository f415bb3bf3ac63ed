#pragma once
// The cells of a tabulation that each record counts in: its leaf in every dimension and every
// ancestor, in every combination (the cell keys sum record keys over them; the medians of a
// publication collect record values over them).

#include <cstddef>
#include <vector>

#include "sdcore/table.hpp"
#include "sdcore/tabular.hpp"

namespace sdcore::detail {

class RecordCells {
 public:
  // Maps each record to its leaf per dimension (by the dimension's column in `records`).
  // InvalidArgument, prefixed by `what`, for a value that is not a leaf or a missing value.
  RecordCells(const Tabulation& table, const Table& records, const char* what);

  // The cells record `row` counts in (valid until the next call).
  const std::vector<std::size_t>& of(std::size_t row) const;

 private:
  const Tabulation& table_;
  std::vector<std::vector<std::size_t>> leaf_;  // per dimension, per record
  std::vector<std::size_t> stride_;
  mutable std::vector<std::size_t> targets_, next_;
};

}  // namespace sdcore::detail
