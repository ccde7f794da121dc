// Where `nest plan` gets its provider: the one place that ties the command
// to the providers.
#include "cli/plan_commands.h"
#include "providers/make_provider.h"

namespace nest {

PlanSources DefaultPlanSources() {
  PlanSources sources;
  sources.provider = plan::ConnectProvider;
  return sources;
}

}  // namespace nest
