#pragma once
// A number for a JSON report: JSON has no NaN or infinity, so a figure that is not finite (a model
// that did not fit, a parameter no value satisfies) is written as null. For nlohmann's json and
// ordered_json alike.

#include <cmath>

namespace sdcore::detail {

template <class Json>
Json finite_or_null(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

}  // namespace sdcore::detail
