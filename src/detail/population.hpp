#pragma once
// Population class sizes for the journalist and marketer models.

#include <string>
#include <vector>

#include "sdcore/classes.hpp"
#include "sdcore/table.hpp"

namespace sdcore::detail {

// F for each class of `ec` (classes of `sample` under `qi`): the sum of `count_column` over the
// rows of `population` with the same key values. InvalidArgument if a class is absent or a
// count is negative or not a number.
std::vector<double> population_sizes(const Table& sample, const std::vector<std::string>& qi,
                                     const EquivalenceClasses& ec, const Table& population,
                                     const std::string& count_column);

}  // namespace sdcore::detail
