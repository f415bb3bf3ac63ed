#include "sdcore/version.hpp"

#ifndef SDCORE_VERSION_STRING
#error "SDCORE_VERSION_STRING must be defined by the build"
#endif

namespace sdcore {

const char* version() noexcept { return SDCORE_VERSION_STRING; }

}  // namespace sdcore
