// The thin extension module `sdcore._core`. The Pythonic API (pandas in and out) lives in the
// sdcore package's .py files; this only moves buffers and maps exceptions.

#include <pybind11/pybind11.h>

#include "register.hpp"
#include "sdcore/error.hpp"
#include "sdcore/version.hpp"

namespace py = pybind11;

namespace {

// sdcore.ParseError and sdcore.Error are defined in Python (sdcore/_errors.py) so that they
// carry attributes and pickle; the translator builds them from the C++ exceptions.
void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const sdcore::ParseError& e) {
    py::object cls = py::module_::import("sdcore._errors").attr("ParseError");
    py::object err = cls(e.what(), e.file(), e.line(), e.column(), e.text());
    PyErr_SetObject(cls.ptr(), err.ptr());
  } catch (const sdcore::IoError& e) {
    PyErr_SetString(PyExc_OSError, e.what());
  } catch (const sdcore::TimeLimitReached& e) {
    PyErr_SetString(PyExc_TimeoutError, e.what());
  } catch (const sdcore::InvalidArgument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const sdcore::Error& e) {
    py::object cls = py::module_::import("sdcore._errors").attr("Error");
    PyErr_SetString(cls.ptr(), e.what());
  }
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "sdcore native kernels (internal; use the sdcore package)";
  m.attr("__version__") = sdcore::version();
  py::register_exception_translator(&translate);
  sdcore::py_glue::register_io(m);
  sdcore::py_glue::register_frame(m);
  sdcore::py_glue::register_classes(m);
  sdcore::py_glue::register_kanon(m);
  sdcore::py_glue::register_recode(m);
  sdcore::py_glue::register_tables(m);
  sdcore::py_glue::register_rounding(m);
}
