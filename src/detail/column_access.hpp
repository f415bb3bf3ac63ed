#pragma once
// Construction without re-validation, for producers inside the library whose output is valid by
// construction (the CSV reader's dictionary, the synthetic generators). Checking that 10 million
// categories are distinct costs more time and memory than reading them.

#include "sdcore/table.hpp"

namespace sdcore::detail {

struct ColumnAccess {
  // Precondition: categories distinct, codes in [-1, categories.size()).
  static Column categorical_trusted(std::string name, std::vector<std::int32_t> codes,
                                    std::vector<std::string> categories) {
    Column col(std::move(name), ColumnType::kCategorical);
    col.codes_ = std::move(codes);
    col.categories_ = std::move(categories);
    return col;
  }
};

}  // namespace sdcore::detail
