#include "compiler/support/result.h"

#include <cstdio>
#include <cstdlib>

namespace nest::result_detail {

void WrongSide(bool wanted_value) {
  std::fprintf(stderr, "nest: a Result read as %s but holds %s\n", wanted_value ? "a value" : "an error",
               wanted_value ? "an error" : "a value");
  std::abort();
}

}  // namespace nest::result_detail
