// Equivalence classes on integer code arrays. Codes of any signed integer width are viewed in
// place (pandas' int8 categorical codes are not widened); the kernel runs without the GIL.

#include <pybind11/stl.h>

#include "numpy_glue.hpp"
#include "register.hpp"
#include "sdcore/classes.hpp"
#include "sdcore/error.hpp"

namespace sdcore::py_glue {
namespace {

KeyCodes view_codes(const py::array& codes, std::int64_t cardinality, std::size_t rows, std::size_t j) {
  const auto kind = codes.dtype().kind();
  const auto width = codes.itemsize();
  if (kind != 'i' || (width != 1 && width != 2 && width != 4 && width != 8)) {
    throw InvalidArgument("key " + std::to_string(j) + ": codes must be a signed integer array");
  }
  if (codes.ndim() != 1 || static_cast<std::size_t>(codes.shape(0)) != rows) {
    throw InvalidArgument("key " + std::to_string(j) + ": codes must be one-dimensional with one per row");
  }
  if (rows > 1 && codes.strides(0) != width) {
    throw InvalidArgument("key " + std::to_string(j) + ": codes must be contiguous");
  }
  return KeyCodes{codes.data(), static_cast<std::uint8_t>(width), cardinality};
}

}  // namespace

void register_classes(py::module_& m) {
  m.def(
      "equivalence_classes",
      [](const std::vector<std::pair<py::array, std::int64_t>>& keys, std::size_t rows,
         const std::optional<py::array_t<double, py::array::c_style>>& weights, bool missing_any) {
        std::vector<KeyCodes> views;
        for (std::size_t j = 0; j < keys.size(); ++j) {
          views.push_back(view_codes(keys[j].first, keys[j].second, rows, j));
        }
        Span<const double> w;
        if (weights) w = Span<const double>(weights->data(), static_cast<std::size_t>(weights->size()));
        ClassOptions opt;
        opt.missing = missing_any ? MissingPolicy::kMatchAny : MissingPolicy::kOwnValue;
        EquivalenceClasses ec;
        {
          py::gil_scoped_release release;
          ec = equivalence_classes(Span<const KeyCodes>(views), rows, w, opt);
        }
        py::dict out;
        out["row_class"] = to_numpy(std::move(ec.row_class));
        out["count"] = to_numpy(std::move(ec.count));
        out["frequency"] = to_numpy(std::move(ec.frequency));
        out["first_row"] = to_numpy(std::move(ec.first_row));
        if (weights) out["weighted_frequency"] = to_numpy(std::move(ec.weighted_frequency));
        return out;
      },
      py::arg("keys"), py::arg("rows"), py::arg("weights"), py::arg("missing_any"));
}

}  // namespace sdcore::py_glue
