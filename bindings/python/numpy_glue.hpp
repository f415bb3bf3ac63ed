#pragma once
// Moving C++ vectors into numpy arrays without copying, and views of numpy inputs.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <vector>

namespace sdcore::py_glue {

namespace py = pybind11;

// The vector's buffer becomes the array's; a capsule frees it with the array.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule free_it(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(T))},
                        owned->data(), free_it);
}

}  // namespace sdcore::py_glue
