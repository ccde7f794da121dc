#include "planner/provider.h"

namespace nest::plan {

const char* StepOpName(StepOp op) {
  switch (op) {
    case StepOp::kCreate: return "create";
    case StepOp::kUpdate: return "update";
    case StepOp::kDelete: return "delete";
  }
  return "step";
}

}  // namespace nest::plan
