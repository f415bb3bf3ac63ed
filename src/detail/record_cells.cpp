#include "detail/record_cells.hpp"

#include <string>

#include "sdcore/error.hpp"

namespace sdcore::detail {

RecordCells::RecordCells(const Tabulation& table, const Table& records, const char* what) : table_(table) {
  const auto& dims = table.dimensions();
  for (const Dimension& dim : dims) {
    const Column f = factorize(records.column(dim.name()));
    std::vector<std::size_t> node_of(f.categories().size(), 0);
    for (std::size_t c = 0; c < node_of.size(); ++c) {
      const auto node = dim.find(f.categories()[c]);
      if (!node || !dim.is_leaf(*node)) {
        throw InvalidArgument(std::string(what) + ": value '" + f.categories()[c] + "' of column '" + dim.name() +
                              "' is not a leaf of the table's dimension; was the table tabulated from these records?");
      }
      node_of[c] = *node;
    }
    std::vector<std::size_t> rows(f.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::int32_t code = f.codes()[r];
      if (code < 0) {
        throw InvalidArgument(std::string(what) + ": column '" + dim.name() + "' is missing in row " + std::to_string(r + 1));
      }
      rows[r] = node_of[static_cast<std::size_t>(code)];
    }
    leaf_.push_back(std::move(rows));
  }
  stride_.assign(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) stride_[d - 1] = stride_[d] * dims[d].size();
}

const std::vector<std::size_t>& RecordCells::of(std::size_t row) const {
  const auto& dims = table_.dimensions();
  targets_.assign(1, 0);  // its leaf and all ancestors, per dimension, in every combination
  for (std::size_t d = 0; d < dims.size(); ++d) {
    next_.clear();
    for (std::size_t node = leaf_[d][row];; node = dims[d].parent(node)) {
      for (std::size_t c : targets_) next_.push_back(c + node * stride_[d]);
      if (node == dims[d].root()) break;
    }
    targets_.swap(next_);
  }
  return targets_;
}

}  // namespace sdcore::detail
